import { Readable } from 'node:stream';

export type LarkApiErrorCode =
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'AUTH'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'TOO_LARGE'
  /** The chat or the message cannot take a reply in a thread (230071, 230072): reply without. */
  | 'THREAD_REFUSED'
  /** The message was recalled (230011): never reply to it again. */
  | 'RECALLED'
  /** The bot is not in the chat (230002): nothing can reach it. */
  | 'BOT_NOT_IN_CHAT'
  | 'UNKNOWN';

/** An Open API call failed. `code` is stable (branch on it); `larkCode` is Feishu's business code. */
export class LarkApiError extends Error {
  override readonly name = 'LarkApiError';
  readonly code: LarkApiErrorCode;
  readonly larkCode?: number;
  readonly httpStatus?: number;
  readonly retryable: boolean;

  constructor(
    code: LarkApiErrorCode,
    message: string,
    extra: { larkCode?: number; httpStatus?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.code = code;
    if (extra.larkCode !== undefined) this.larkCode = extra.larkCode;
    if (extra.httpStatus !== undefined) this.httpStatus = extra.httpStatus;
    this.retryable = extra.retryable ?? RETRYABLE.has(code);
  }
}

export function isLarkApiError(e: unknown): e is LarkApiError {
  return e instanceof LarkApiError;
}

const RETRYABLE = new Set<LarkApiErrorCode>(['RATE_LIMITED', 'SERVER_ERROR', 'TIMEOUT', 'NETWORK']);

/** Feishu business codes we act on. Everything else falls back to the HTTP status. */
const LARK_CODES: Record<number, LarkApiErrorCode> = {
  99991400: 'RATE_LIMITED', // request trigger frequency limit
  230020: 'RATE_LIMITED', // this operation triggers the frequency limit
  99991661: 'AUTH', // missing access token
  99991663: 'AUTH', // invalid tenant access token
  99991668: 'AUTH', // token expired
  10003: 'AUTH', // invalid app_id
  10014: 'AUTH', // app secret invalid
  99991672: 'FORBIDDEN', // app lacks a scope
  99991679: 'FORBIDDEN',
  230002: 'BOT_NOT_IN_CHAT', // The bot can not be outside the group.
  230071: 'THREAD_REFUSED', // The group to which the message belongs does not support reply in thread.
  230072: 'THREAD_REFUSED', // Aggregated messages do not support reply in thread.
  230006: 'FORBIDDEN', // bot ability not activated
  230012: 'FORBIDDEN', // bot is not the sender
  230027: 'FORBIDDEN', // lack of necessary permissions
  230011: 'RECALLED', // The message is recalled. (reply error table, open.feishu.cn im-v1/message/reply)
  234003: 'NOT_FOUND', // resource not found in message
  230025: 'TOO_LARGE', // message content too long
  234006: 'TOO_LARGE', // file too large
};

/** Codes meaning "the cached tenant token is no good": drop it and fetch a new one. */
export const TOKEN_INVALID_CODES = new Set([99991661, 99991663, 99991668]);

export function codeForLark(larkCode: number | undefined, httpStatus: number | undefined): LarkApiErrorCode {
  if (larkCode !== undefined && LARK_CODES[larkCode]) return LARK_CODES[larkCode];
  if (httpStatus === undefined) return 'UNKNOWN';
  if (httpStatus === 429) return 'RATE_LIMITED';
  if (httpStatus >= 500) return 'SERVER_ERROR';
  if (httpStatus === 401) return 'AUTH';
  if (httpStatus === 403) return 'FORBIDDEN';
  if (httpStatus === 404) return 'NOT_FOUND';
  if (httpStatus === 413) return 'TOO_LARGE';
  if (httpStatus >= 400) return 'BAD_REQUEST';
  return 'UNKNOWN';
}

/** An HTTP 200 body with a non-zero `code`. */
export function larkBodyError(
  op: string,
  body: { code?: unknown; msg?: unknown } | null | undefined,
): LarkApiError {
  const larkCode = typeof body?.code === 'number' ? body.code : undefined;
  const msg = typeof body?.msg === 'string' ? body.msg : 'empty response';
  return new LarkApiError(
    codeForLark(larkCode, 200),
    `${op}: Feishu answered code ${larkCode ?? '?'}: ${msg}`,
    {
      ...(larkCode === undefined ? {} : { larkCode }),
      httpStatus: 200,
    },
  );
}

const TIMEOUT_CODES = new Set([
  'ECONNABORTED',
  'ETIMEDOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);

interface AxiosLike {
  code?: string;
  message?: string;
  response?: { status?: number; data?: unknown };
}

/**
 * Turns whatever the SDK threw (axios error, token error, stream error) into a LarkApiError.
 * Async because error bodies of stream requests (resource downloads) are streams themselves.
 * The original error is NOT kept as `cause`: axios errors carry request configs (tokens, app secret).
 */
export async function toLarkApiError(op: string, e: unknown): Promise<LarkApiError> {
  if (e instanceof LarkApiError) return e;
  const err = (e ?? {}) as AxiosLike;
  const message = typeof err.message === 'string' ? err.message : String(e);
  const status = err.response?.status;
  if (status !== undefined) {
    const body = await readErrorBody(err.response?.data);
    const larkCode = typeof body?.code === 'number' ? body.code : undefined;
    const msg = typeof body?.msg === 'string' ? body.msg : message;
    return new LarkApiError(
      codeForLark(larkCode, status),
      `${op}: HTTP ${status}${larkCode === undefined ? '' : ` code ${larkCode}`}: ${msg}`,
      { ...(larkCode === undefined ? {} : { larkCode }), httpStatus: status },
    );
  }
  if (err.code && TIMEOUT_CODES.has(err.code)) {
    return new LarkApiError('TIMEOUT', `${op}: timed out (${err.code})`);
  }
  if (err.code && NETWORK_CODES.has(err.code)) {
    return new LarkApiError('NETWORK', `${op}: network error (${err.code})`);
  }
  // The SDK's token manager throws a plain Error: "failed to get tenant_access_token, code: 10014, msg: ..."
  const tokenMatch = /failed to get (\w+), code: (\d+)/.exec(message);
  if (tokenMatch) {
    const larkCode = Number(tokenMatch[2]);
    const code = codeForLark(larkCode, undefined);
    return new LarkApiError(code === 'UNKNOWN' ? 'AUTH' : code, `${op}: ${message}`, { larkCode });
  }
  return new LarkApiError('UNKNOWN', `${op}: ${message}`);
}

async function readErrorBody(data: unknown): Promise<{ code?: unknown; msg?: unknown } | undefined> {
  try {
    if (data instanceof Readable) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of data) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        size += buf.length;
        if (size > 64 * 1024) break;
        chunks.push(buf);
      }
      data.destroy();
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: unknown; msg?: unknown };
    }
    if (typeof data === 'string') return JSON.parse(data) as { code?: unknown; msg?: unknown };
    if (data && typeof data === 'object') return data as { code?: unknown; msg?: unknown };
  } catch {
    // not JSON: fall back to the HTTP status
  }
  return undefined;
}
