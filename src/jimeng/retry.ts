/** The shared retry loop (src/util/retry.ts) with Jimeng's abort error. */
import { abortableSleep, type Sleep } from '../util/retry.js';
import { JimengError } from './errors.js';

export {
  type BackoffOptions,
  backoffDelay,
  type RetryOptions,
  type Sleep,
  withRetry,
} from '../util/retry.js';

export function abortedError(signal?: AbortSignal): JimengError {
  const reason: unknown = signal?.reason;
  if (reason instanceof JimengError) return reason;
  return new JimengError({
    code: 'ABORTED',
    message: 'aborted',
    audience: 'user',
    retryable: false,
    cause: reason,
  });
}

/** setTimeout as a promise; rejects with an ABORTED JimengError (or the signal's JimengError reason). */
export const sleep: Sleep = (ms, signal) => abortableSleep(ms, signal, abortedError);
