/**
 * Reads Jimeng answers. Tolerates the documented shape ({code, data:{status, video_url}, request_id}) and the
 * original spec's (ResponseMetadata + Result, statuses not_start/pending/running/success/failed/fail).
 * The body is parsed whatever the HTTP status: business errors come with 400 and sometimes 200.
 */
import { JimengError } from './errors.js';
import { fromGatewayError } from './gateway-error.js';
import { fromServiceCode } from './service-codes.js';

export type TaskStatus = 'in_queue' | 'generating' | 'done' | 'failed' | 'not_found' | 'expired';

export interface TaskResult {
  status: TaskStatus;
  /** Set when status is 'done'. Valid for about one hour. */
  videoUrl?: string;
  /** Set when status is 'failed', 'not_found' or 'expired'. */
  error?: JimengError;
  requestId?: string;
  /** The raw status string the service used. */
  rawStatus?: string;
}

export interface SubmitAnswer {
  taskId: string;
  requestId?: string;
}

export const SUCCESS_CODE = 10000;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

function badResponse(message: string, httpStatus: number, requestId?: string): JimengError {
  return new JimengError({
    code: 'BAD_RESPONSE',
    message,
    audience: httpStatus >= 500 ? 'transient' : 'operator',
    retryable: httpStatus >= 500,
    httpStatus,
    requestId,
  });
}

interface Envelope {
  code?: number;
  message?: string;
  data?: Json;
  requestId?: string;
}

/** Parses the text, throws on gateway errors, unwraps `Result` and returns the business envelope. */
function envelope(httpStatus: number, text: string, headerRequestId?: string): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badResponse(
      `HTTP ${httpStatus}: body is not JSON (${text.slice(0, 120)})`,
      httpStatus,
      headerRequestId,
    );
  }
  if (!isObject(json)) throw badResponse(`HTTP ${httpStatus}: body is not an object`, httpStatus);
  const meta = isObject(json.ResponseMetadata) ? json.ResponseMetadata : undefined;
  const requestId = str(json.request_id) ?? str(meta?.RequestId) ?? headerRequestId;
  if (meta && isObject(meta.Error) && (str(meta.Error.Code) || num(meta.Error.CodeN))) {
    const e = meta.Error;
    throw fromGatewayError(
      { Code: str(e.Code), CodeN: num(e.CodeN), Message: str(e.Message) },
      { httpStatus, requestId },
    );
  }
  // The original spec wrapped the business answer in `Result`.
  const inner = isObject(json.Result) && !('code' in json) ? json.Result : json;
  const code = num(inner.code) ?? num(inner.status_code);
  const data = isObject(inner.data) ? inner.data : undefined;
  return { code, message: str(inner.message), data, requestId: str(inner.request_id) ?? requestId };
}

export function parseSubmitResponse(
  httpStatus: number,
  text: string,
  headerRequestId?: string,
): SubmitAnswer {
  const env = envelope(httpStatus, text, headerRequestId);
  if (env.code !== undefined && env.code !== SUCCESS_CODE) {
    throw fromServiceCode(env.code, env.message, { httpStatus, requestId: env.requestId });
  }
  const taskId = str(env.data?.task_id);
  if (!taskId || (env.code === undefined && httpStatus >= 400)) {
    throw badResponse(`HTTP ${httpStatus}: submit answer without task_id`, httpStatus, env.requestId);
  }
  return { taskId, requestId: env.requestId };
}

const STATUS_MAP: Record<string, TaskStatus | 'success'> = {
  in_queue: 'in_queue',
  not_start: 'in_queue',
  pending: 'in_queue',
  queued: 'in_queue',
  generating: 'generating',
  running: 'generating',
  processing: 'generating',
  done: 'done',
  success: 'done',
  succeeded: 'done',
  failed: 'failed',
  fail: 'failed',
  not_found: 'not_found',
  expired: 'expired',
};

/** Codes that mean "this call failed" rather than "this task failed" when no task status came back. */
const CALL_LEVEL = new Set([50215, 50400, 50429, 50430, 50500, 50501]);

function findVideoUrl(data: Json): string | undefined {
  const direct = str(data.video_url) ?? str(data.url);
  if (direct) return direct;
  if (Array.isArray(data.video_urls)) return str(data.video_urls[0]);
  if (typeof data.resp_data === 'string') {
    try {
      const inner: unknown = JSON.parse(data.resp_data);
      if (isObject(inner)) return findVideoUrl(inner);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function taskError(
  code: 'TASK_FAILED' | 'TASK_NOT_FOUND' | 'TASK_EXPIRED',
  message: string,
  httpStatus: number,
  requestId?: string,
): JimengError {
  return new JimengError({
    code,
    message,
    audience: code === 'TASK_FAILED' ? 'transient' : 'user',
    retryable: code !== 'TASK_NOT_FOUND',
    httpStatus,
    requestId,
  });
}

/**
 * Parses a CVSync2AsyncGetResult answer. Returns the task state (failed tasks included, with `error`); throws
 * a JimengError only when the call itself failed (gateway, QPS, internal, bad parameters, garbage).
 */
export function parseResultResponse(httpStatus: number, text: string, headerRequestId?: string): TaskResult {
  const env = envelope(httpStatus, text, headerRequestId);
  const { code, data, requestId } = env;
  const rawStatus = str(data?.status)?.toLowerCase();
  const ok = code === undefined ? httpStatus < 400 : code === SUCCESS_CODE;

  if (rawStatus === undefined) {
    if (code !== undefined && code !== SUCCESS_CODE) {
      const err = fromServiceCode(code, env.message, { httpStatus, requestId });
      // Content-risk answers to a poll mean the task failed; the rest are failures of this call.
      if (CALL_LEVEL.has(code) || err.code === 'UNKNOWN') throw err;
      return { status: 'failed', error: err, requestId };
    }
    throw badResponse(`HTTP ${httpStatus}: result answer without data.status`, httpStatus, requestId);
  }

  const mapped = STATUS_MAP[rawStatus] ?? 'generating';
  const base = { requestId, rawStatus };
  switch (mapped) {
    case 'in_queue':
    case 'generating':
      if (!ok && code !== undefined && CALL_LEVEL.has(code)) {
        throw fromServiceCode(code, env.message, { httpStatus, requestId });
      }
      return { status: mapped, ...base };
    case 'not_found':
      return {
        status: 'not_found',
        error: taskError(
          'TASK_NOT_FOUND',
          'task not found (unknown or older than 12 h)',
          httpStatus,
          requestId,
        ),
        ...base,
      };
    case 'expired':
      return {
        status: 'expired',
        error: taskError('TASK_EXPIRED', 'task expired', httpStatus, requestId),
        ...base,
      };
    case 'failed':
      return {
        status: 'failed',
        error:
          code !== undefined && code !== SUCCESS_CODE
            ? fromServiceCode(code, env.message, { httpStatus, requestId })
            : taskError(
                'TASK_FAILED',
                `task failed (${rawStatus}): ${env.message ?? ''}`,
                httpStatus,
                requestId,
              ),
        ...base,
      };
    default: {
      if (!ok) {
        const error =
          code !== undefined
            ? fromServiceCode(code, env.message, { httpStatus, requestId })
            : taskError('TASK_FAILED', `task done with HTTP ${httpStatus}`, httpStatus, requestId);
        return { status: 'failed', error, ...base };
      }
      const videoUrl = data ? findVideoUrl(data) : undefined;
      if (!videoUrl) {
        return {
          status: 'failed',
          error: taskError('TASK_FAILED', 'task done without video_url', httpStatus, requestId),
          ...base,
        };
      }
      return { status: 'done', videoUrl, ...base };
    }
  }
}
