/** Turns a failed fetch into a JimengError, and remembers whether the request may have reached the service. */
import { JimengError } from './errors.js';
import { abortedError } from './retry.js';

/** Connection errors that happen before a single byte of the request left: the service saw nothing. */
const PRE_SEND_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

/** Every `code` found on the error, its `cause` chain and AggregateError `errors`. */
export function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 5; depth++) {
    if (typeof cur === 'object') {
      const c = (cur as { code?: unknown }).code;
      if (typeof c === 'string') codes.push(c);
      const agg = (cur as { errors?: unknown }).errors;
      if (Array.isArray(agg)) for (const e of agg) codes.push(...errorCodes(e));
      cur = (cur as { cause?: unknown }).cause;
    } else break;
  }
  return codes;
}

/** Transport errors raised after the request may have reached the service. */
const AFTER_SEND = new WeakSet<JimengError>();

/** Whether the failed request may have reached the service (false: it certainly did not). */
export function mayHaveArrived(err: JimengError): boolean {
  return AFTER_SEND.has(err);
}

export interface TransportFailure {
  action: string;
  err: unknown;
  timedOut: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** NETWORK, TIMEOUT or ABORTED, marked when the request may have arrived. */
export function transportError(f: TransportFailure): JimengError {
  if (f.timedOut) {
    const timeout = new JimengError({
      code: 'TIMEOUT',
      message: `${f.action}: no answer within ${f.timeoutMs} ms`,
      details: { action: f.action, timeoutMs: f.timeoutMs },
      audience: 'transient',
      retryable: true,
      cause: f.err,
    });
    AFTER_SEND.add(timeout);
    return timeout;
  }
  if (f.signal?.aborted) {
    const aborted = abortedError(f.signal);
    AFTER_SEND.add(aborted);
    return aborted;
  }
  const codes = errorCodes(f.err);
  const message =
    f.err instanceof Error ? f.err.message : String((f.err as { message?: unknown })?.message ?? f.err);
  const netErr = new JimengError({
    code: 'NETWORK',
    message: `${f.action}: network error ${codes.join('/')} ${message}`.replace(/\s+/g, ' ').trim(),
    details: { action: f.action, ...(codes[0] ? { errorCode: codes[0] } : {}) },
    audience: 'transient',
    retryable: true,
    cause: f.err,
  });
  // Refused/DNS failures happen before the request is sent; anything else may have reached the service.
  if (!codes.some((c) => PRE_SEND_CODES.has(c))) AFTER_SEND.add(netErr);
  return netErr;
}
