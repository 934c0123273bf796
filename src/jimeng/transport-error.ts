/**
 * Turns a failed fetch into a JimengError and remembers whether the request may have reached the service.
 *
 * "Never sent" needs positive evidence, found anywhere in the error's `cause` chain or an AggregateError's
 * `errors` (undici wraps: TypeError "fetch failed" → cause: the socket/DNS/TLS error; with happy eyeballs →
 * cause: AggregateError { code, errors: [one error per address tried] }):
 * - the connection was never made: DNS (ENOTFOUND, EAI_*), refused / unreachable (ECONNREFUSED, EHOSTUNREACH,
 *   ENETUNREACH, …), any errno error whose syscall is `connect` or `getaddrinfo`, undici's connect timeout;
 * - TLS failed in the handshake (undici writes the request only once the handshake is done): certificate
 *   and OpenSSL codes (ERR_TLS_*, ERR_SSL_*, CERT_*, UNABLE_TO_*, …, EPROTO);
 * - fetch refused the request itself (invalid URL, "bad port");
 * - undici saw the socket close with `bytesWritten: 0`.
 * Anything else (ECONNRESET on read, "other side closed" after writing, our timeout, an abort) may have
 * arrived.
 */
import { JimengError } from './errors.js';
import { abortedError } from './retry.js';

const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EAI_NODATA',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_INVALID_ARG',
  'ERR_INVALID_URL',
  'EPROTO',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'HOSTNAME_MISMATCH',
]);
const NEVER_SENT_PREFIXES = ['ERR_TLS_', 'ERR_SSL_', 'CERT_', 'UNABLE_TO_'];
const PRE_SEND_SYSCALLS = new Set(['connect', 'getaddrinfo', 'queryA', 'queryAaaa']);
/** Messages of errors fetch raises before opening a connection. */
const REFUSED_BY_FETCH = /^(bad port|invalid url|failed to parse url)/i;

type Node = {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
  socket?: unknown;
  errors?: unknown;
  cause?: unknown;
};

/** The error, its causes and aggregated errors, flattened (bounded). */
function chain(err: unknown, out: Node[] = [], depth = 0): Node[] {
  if (!err || typeof err !== 'object' || depth > 6 || out.length > 32) return out;
  const node = err as Node;
  out.push(node);
  if (Array.isArray(node.errors)) for (const e of node.errors) chain(e, out, depth + 1);
  chain(node.cause, out, depth + 1);
  return out;
}

function neverSent(node: Node): boolean {
  const code = typeof node.code === 'string' ? node.code : undefined;
  if (code && (NEVER_SENT_CODES.has(code) || NEVER_SENT_PREFIXES.some((p) => code.startsWith(p))))
    return true;
  if (typeof node.syscall === 'string' && PRE_SEND_SYSCALLS.has(node.syscall)) return true;
  if (code === 'UND_ERR_SOCKET') {
    const written = (node.socket as { bytesWritten?: unknown } | undefined)?.bytesWritten;
    return written === 0;
  }
  return !code && typeof node.message === 'string' && REFUSED_BY_FETCH.test(node.message);
}

/** Every `code` found on the error, its `cause` chain and AggregateError `errors`. */
export function errorCodes(err: unknown): string[] {
  return chain(err).flatMap((n) => (typeof n.code === 'string' ? [n.code] : []));
}

/** Whether `err` (a raw fetch failure) shows that the request never left this machine. */
export function wasNeverSent(err: unknown): boolean {
  return chain(err).some(neverSent);
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
  const message = chain(f.err)
    .map((n) => (typeof n.message === 'string' ? n.message : ''))
    .filter((m, i, all) => m && all.indexOf(m) === i)
    .join(': ');
  const netErr = new JimengError({
    code: 'NETWORK',
    message: `${f.action}: network error ${codes.join('/')} ${message}`.replace(/\s+/g, ' ').trim(),
    details: { action: f.action, ...(codes[0] ? { errorCode: codes[0] } : {}) },
    audience: 'transient',
    retryable: true,
    cause: f.err,
  });
  if (!wasNeverSent(f.err)) AFTER_SEND.add(netErr);
  return netErr;
}
