/**
 * Jittered exponential backoff, an abortable sleep and one retry loop, for any client that retries calls
 * (the Jimeng client uses them; nothing here knows about Jimeng).
 */

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * setTimeout as a promise. When `signal` fires, rejects with `toError(signal)` (default: the signal's
 * reason, a DOMException AbortError unless the caller gave one).
 */
export function abortableSleep(
  ms: number,
  signal?: AbortSignal,
  toError: (signal: AbortSignal) => unknown = (s) => s.reason,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(toError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(toError(signal!));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface BackoffOptions {
  /** First delay (before jitter), ms. Default 1000. */
  baseMs?: number;
  /** Upper bound, ms. Default 20000. */
  maxMs?: number;
  /** Returns [0, 1). Default Math.random. */
  random?: () => number;
}

/** "Equal jitter": half the exponential step fixed, half random, so retries never bunch up nor hit zero. */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 1000;
  const max = opts.maxMs ?? 20_000;
  const random = opts.random ?? Math.random;
  const step = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}

export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** false: give up; true: retry with the normal delay; a number: multiply the delay by it. */
  shouldRetry: (err: unknown, attempt: number) => boolean | number;
  /** Default: abortableSleep. */
  sleep?: Sleep;
  signal?: AbortSignal;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `fn` until it resolves, `shouldRetry` says no, the retries are spent or `signal` fires. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const doSleep = opts.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const verdict = attempt < opts.retries ? opts.shouldRetry(err, attempt) : false;
      if (verdict === false) throw err;
      const factor = typeof verdict === 'number' ? verdict : 1;
      const delay = backoffDelay(attempt, opts) * factor;
      opts.onRetry?.(err, attempt, delay);
      await doSleep(delay, opts.signal);
    }
  }
}
