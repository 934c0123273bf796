import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../log.js';

export type SdkLogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface SdkLoggerOptions {
  /** The pino message of every line (default 'lark sdk'); the SDK's own text goes in the `sdk` field. */
  msg?: string;
  /** Log every SDK line at this level instead of the SDK's own (the Messenger reports failures itself). */
  level?: SdkLogLevel;
  /** Literal values that must never reach a log line (app secret, encrypt key, verification token). */
  secrets?: readonly (string | undefined)[];
  /** Called with every line after redaction (the WS receiver keeps the last error as a reason). */
  onLine?: (level: SdkLogLevel, text: string) => void;
}

/** Longest `sdk` text kept: the SDK's debug lines carry whole event payloads. */
export const MAX_SDK_TEXT = 4000;

const SENSITIVE_KEY = /secret|token|ticket|password|authorization|access_?key|encrypt|signature|assertion/i;
const REDACTED = '[redacted]';

/**
 * The one adapter from the SDK's logger interface to pino, for the Open API client and the WSClient.
 * The SDK's LoggerProxy calls `logger.error(msg)` with ONE array of its original arguments
 * (@larksuiteoapi/node-sdk 1.74.0 lib/index.js:100019-100049), e.g. `['[ws]', 'code: 514, auth failed']`;
 * this flattens arrays, Errors and objects into one readable string and scrubs what must not be logged:
 * the connect URL's `ticket`/`access_key` (lib/index.js:102368 logs it at debug), secret- or token-named
 * fields of any JSON in a line (request configs, event payloads: header.token is the verification token),
 * Bearer values, and the given secrets verbatim. Errors give only name, code, status and message.
 */
export function sdkLogger(logger: Logger, opts: SdkLoggerOptions = {}): lark.Logger {
  const msg = opts.msg ?? 'lark sdk';
  const secrets = (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const line =
    (sdkLevel: SdkLogLevel) =>
    (...args: unknown[]): void => {
      const level = opts.level ?? sdkLevel;
      const enabled = logger.isLevelEnabled(level);
      if (!enabled && !opts.onLine) return;
      const text = sdkLogText(args, secrets);
      opts.onLine?.(sdkLevel, text);
      if (enabled) logger[level]({ sdk: text }, msg);
    };
  return {
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: line('debug'),
    trace: line('trace'),
  };
}

/** What one SDK log call says, as one redacted line. */
export function sdkLogText(args: readonly unknown[], secrets: readonly string[] = []): string {
  const parts = args.flat(Number.POSITIVE_INFINITY).map(describe);
  let text = redact(parts.filter((p) => p !== '').join(' '), secrets);
  if (text.length > MAX_SDK_TEXT) text = `${text.slice(0, MAX_SDK_TEXT)}… (${text.length} chars)`;
  return text;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return describeError(v);
  if (v === undefined || v === null || typeof v !== 'object') return String(v);
  try {
    return JSON.stringify(v, redactingReplacer()) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/**
 * An Error's name, code and message (and its cause's), never its other fields: an axios error carries
 * the request config, whose body is `{ AppID, AppSecret }` for the long connection's endpoint call.
 */
function describeError(e: Error, depth = 0): string {
  const code = (e as { code?: unknown }).code;
  let s = e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message || String(e);
  if (typeof code === 'string' || typeof code === 'number') {
    if (!s.includes(String(code))) s += ` (${code})`;
  }
  const status = (e as { response?: { status?: unknown } }).response?.status;
  if (typeof status === 'number' && !s.includes(String(status))) s += ` [HTTP ${status}]`;
  if (e.cause instanceof Error && depth < 3) s += `; cause: ${describeError(e.cause, depth + 1)}`;
  return s;
}

function redactingReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (key, value) => {
    if (key !== '' && SENSITIVE_KEY.test(key) && value !== null && value !== undefined && value !== '')
      return REDACTED;
    if (value instanceof Error) return describeError(value);
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text
    // query strings and `key=value` text: ?ticket=…&access_key=…, app_secret=…
    .replace(
      /\b([\w-]*(?:ticket|token|secret|access_?key|password|signature)[\w-]*)=([^&\s"',;]+)/gi,
      `$1=${REDACTED}`,
    )
    // JSON inside a string (the debug line with an event payload): "token":"…", "AppSecret":"…"
    .replace(
      /"([\w-]*(?:ticket|token|secret|access_?key|password|encrypt|signature)[\w-]*)"\s*:\s*"(?:[^"\\]|\\.)*"/gi,
      `"$1":"${REDACTED}"`,
    )
    .replace(/\bBearer\s+[^\s"',;]+/gi, `Bearer ${REDACTED}`);
  for (const s of secrets) out = out.replace(new RegExp(escapeRegExp(s), 'g'), REDACTED);
  return out;
}
