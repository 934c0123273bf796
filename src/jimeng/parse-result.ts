/**
 * Reads a CVSync2AsyncGetResult answer into the task's state. A task that failed is a result
 * (`{ status: 'failed', error }`), so a caller stops polling; only a failed *call* is thrown.
 *
 * Decision table (first matching row wins; "code" is the business code, a numeric gateway code included):
 *
 * | answer                                                        | outcome                                |
 * |---------------------------------------------------------------|----------------------------------------|
 * | body not JSON / not an object                                 | throw BAD_RESPONSE (retryable if 5xx)  |
 * | gateway error, non-numeric Code (signature, auth, throttling) | throw (auth: not retryable)            |
 * | code 50429 / 50430 (QPS, concurrency), any data               | throw, retryable                       |
 * | code 50500 / 50501 or unknown, HTTP ≥ 500, not done/failed   | throw, retryable (the call failed)     |
 * | data.status done / failed with code ≠ 10000                   | failed, error by the code table        |
 * | code ≠ 10000, any other (50215, 50400, 504xx/505xx risk, …)   | failed, error by the code table        |
 * | no code, HTTP ≥ 400, data.status done                         | failed, TASK_FAILED                    |
 * | data.status in_queue / generating (and aliases)               | in progress                            |
 * | data.status not_found / expired                               | terminal, TASK_NOT_FOUND / TASK_EXPIRED|
 * | data.status done, code 10000, video_url                       | done                                   |
 * | data.status done without video_url; failed/fail without code  | failed, TASK_FAILED                    |
 * | code 10000 without data.status                                | throw BAD_RESPONSE                     |
 *
 * Why: the docs say a failed task is answered with `code != 10000` and `data: null` (50215 once the inputs
 * were rejected; risk codes once the output was checked). Treating those as call failures kept callers
 * polling for an hour. 50500 with HTTP 5xx is how the service reports its own trouble answering; with HTTP
 * 2xx/4xx (or data.status done) it is the task that failed.
 */
import { JimengError } from './errors.js';
import {
  badResponse,
  type Envelope,
  isObject,
  type Json,
  readEnvelope,
  SUCCESS_CODE,
  str,
} from './response-envelope.js';
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

const STATUS_MAP: Record<string, TaskStatus> = {
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

/** Codes that are about the call, never the task. */
const THROTTLED = new Set([50429, 50430]);
/** Codes that are about the call when they come with HTTP ≥ 500. */
const SERVICE_TROUBLE = new Set([50500, 50501]);

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

/** A non-10000 code: the task's failure (returned) or the call's (thrown). */
function codeOutcome(env: Envelope & { code: number }, httpStatus: number, finished: boolean): JimengError {
  const err = fromServiceCode(env.code, env.message, { httpStatus, requestId: env.requestId });
  if (THROTTLED.has(env.code)) throw err;
  const trouble = SERVICE_TROUBLE.has(env.code) || err.code === 'UNKNOWN';
  if (trouble && httpStatus >= 500 && !finished) throw err;
  return err;
}

export function parseResultResponse(httpStatus: number, text: string, headerRequestId?: string): TaskResult {
  const env = readEnvelope(httpStatus, text, headerRequestId);
  const { code, data, requestId } = env;
  const rawStatus = str(data?.status)?.toLowerCase();
  const mapped = rawStatus === undefined ? undefined : (STATUS_MAP[rawStatus] ?? 'generating');
  const base = { requestId, ...(rawStatus !== undefined ? { rawStatus } : {}) };

  if (code !== undefined && code !== SUCCESS_CODE) {
    const finished = mapped === 'done' || mapped === 'failed';
    const error = codeOutcome({ ...env, code }, httpStatus, finished);
    if (mapped === 'not_found' || mapped === 'expired')
      return terminal(mapped, httpStatus, requestId, rawStatus);
    return { status: 'failed', error, ...base };
  }
  if (mapped === undefined) {
    throw badResponse(`HTTP ${httpStatus}: result answer without data.status`, httpStatus, requestId);
  }
  const ok = code === SUCCESS_CODE || httpStatus < 400;
  switch (mapped) {
    case 'in_queue':
    case 'generating':
      if (!ok)
        throw badResponse(`HTTP ${httpStatus}: in-progress answer without a code`, httpStatus, requestId);
      return { status: mapped, ...base };
    case 'not_found':
    case 'expired':
      return terminal(mapped, httpStatus, requestId, rawStatus);
    case 'failed':
      return {
        status: 'failed',
        error: taskError(
          'TASK_FAILED',
          `task failed (${rawStatus}): ${env.message ?? ''}`,
          httpStatus,
          requestId,
        ),
        ...base,
      };
    default: {
      const videoUrl = ok && data ? findVideoUrl(data) : undefined;
      if (!videoUrl) {
        const why = ok ? 'task done without video_url' : `task done with HTTP ${httpStatus}`;
        return { status: 'failed', error: taskError('TASK_FAILED', why, httpStatus, requestId), ...base };
      }
      return { status: 'done', videoUrl, ...base };
    }
  }
}

function terminal(
  status: 'not_found' | 'expired',
  httpStatus: number,
  requestId: string | undefined,
  rawStatus: string | undefined,
): TaskResult {
  const error =
    status === 'not_found'
      ? taskError('TASK_NOT_FOUND', 'task not found (unknown or older than 12 h)', httpStatus, requestId)
      : taskError('TASK_EXPIRED', 'task expired', httpStatus, requestId);
  return { status, error, requestId, rawStatus };
}
