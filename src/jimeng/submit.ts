/**
 * CVSync2AsyncSubmitTask: validate, send, and retry only what certainly created nothing.
 *
 * | failure                                                        | created? | what happens            |
 * |----------------------------------------------------------------|----------|-------------------------|
 * | a parsed business answer (code ≠ 10000, any HTTP status)       | no       | 50429 / 50430 / 50500 / |
 * |   — the docs: "code != 10000 never returns a task_id"          |          | 50501 retried; others   |
 * |                                                                |          | thrown at once          |
 * | a gateway error envelope (auth, throttling, refused)           | no       | throttling retried      |
 * | a gateway error naming a timeout, or with HTTP 504             | maybe    | thrown, maybeCreated    |
 * | never sent: DNS, refused, unreachable, TLS handshake, connect  | no       | retried                 |
 * |   timeout, fetch refused the URL (see transport-error.ts)      |          |                         |
 * | timeout or reset after the request was written                 | maybe    | thrown, maybeCreated    |
 * | an answer we cannot read: HTTP 2xx (incl. 10000 w/o task_id),  | maybe    | thrown, maybeCreated    |
 * |   500, 502, 504 (a proxy lost the service's answer)            |          |                         |
 * | an answer we cannot read with HTTP 4xx or 503 (turned away)    | no       | 503 retried             |
 *
 * A maybeCreated failure is never retried: a second submit could make (and bill) a second video.
 */
import { type CallOptions, type ClientContext, retryOptions, SUBMIT_ACTION } from './client-options.js';
import { isJimengError, type JimengError } from './errors.js';
import { parseSubmitResponse, type SubmitAnswer } from './parse-submit.js';
import { withRetry } from './retry.js';
import { type RawAnswer, signedCall } from './signed-call.js';
import { mayHaveArrived } from './transport-error.js';
import { type JimengWarning, type VideoRequest, validateRequest } from './validate.js';

export interface SubmitResult {
  taskId: string;
  reqKey: string;
  requestId?: string;
  /** Things accepted but ignored. */
  warnings: JimengWarning[];
}

const RETRIED_BUSINESS = new Set([50429, 50430, 50500, 50501]);

function uncertain(err: JimengError): boolean {
  if (err.code === 'TIMEOUT' || err.code === 'NETWORK' || err.code === 'ABORTED') return mayHaveArrived(err);
  const status = err.httpStatus ?? 0;
  if (err.code === 'BAD_RESPONSE') return (status >= 200 && status < 300) || [500, 502, 504].includes(status);
  if (err.gatewayCode !== undefined) return /timeout/i.test(err.gatewayCode) || status === 504;
  return false; // a business answer: nothing was created
}

/** The error to throw: a failure that might have created a task is marked maybeCreated (never retried). */
function submitFailure(err: unknown): unknown {
  if (!isJimengError(err) || err.maybeCreated || !uncertain(err)) return err;
  return err.with({ maybeCreated: true, retryable: false });
}

function shouldRetry(err: unknown, attempt: number, ctx: ClientContext): boolean | number {
  if (!isJimengError(err) || err.maybeCreated) return false;
  // A slot frees only when a task ends: wait longer.
  if (err.code === 'CONCURRENCY_LIMIT') return attempt < ctx.concurrencyRetries ? 3 : false;
  if (err.jimengCode !== undefined && err.gatewayCode === undefined)
    return RETRIED_BUSINESS.has(err.jimengCode);
  if (err.code === 'QPS_LIMIT' || err.code === 'INTERNAL') return true;
  if (err.code === 'NETWORK') return true; // only never-sent ones get here (the rest are maybeCreated)
  return err.code === 'BAD_RESPONSE' && err.httpStatus === 503;
}

/**
 * Submits a generation task. Validates first (no network call on a bad request). Does not take a task slot.
 * Throws JimengError; `maybeCreated: true` when the task may exist anyway.
 */
export async function submitTask(
  ctx: ClientContext,
  req: VideoRequest,
  opts: CallOptions = {},
): Promise<SubmitResult> {
  const v = validateRequest(req, ctx.catalog);
  const answer = await withRetry<SubmitAnswer>(
    async () => {
      let raw: RawAnswer;
      try {
        raw = await signedCall(ctx, SUBMIT_ACTION, v.body, opts.signal);
      } catch (err) {
        throw submitFailure(err);
      }
      try {
        return parseSubmitResponse(raw.status, raw.text, raw.requestId);
      } catch (err) {
        throw submitFailure(err);
      }
    },
    { ...retryOptions(ctx, opts.signal), shouldRetry: (err, attempt) => shouldRetry(err, attempt, ctx) },
  );
  ctx.logger?.info(
    { reqKey: v.model.reqKey, taskId: answer.taskId, requestId: answer.requestId },
    'jimeng submitted',
  );
  return { taskId: answer.taskId, reqKey: v.model.reqKey, requestId: answer.requestId, warnings: v.warnings };
}
