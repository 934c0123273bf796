/** CVSync2AsyncSubmitTask: validate, send, retry only what certainly created nothing. */
import { type CallOptions, type ClientContext, retryOptions, SUBMIT_ACTION } from './client-options.js';
import { isJimengError } from './errors.js';
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

/** A submit failure that might have created a task is marked maybeCreated (never retried). */
function submitFailure(err: unknown): unknown {
  if (!isJimengError(err) || err.maybeCreated) return err;
  const uncertain =
    mayHaveArrived(err) ||
    (err.httpStatus !== undefined &&
      err.httpStatus >= 500 &&
      err.code !== 'QPS_LIMIT' &&
      err.code !== 'CONCURRENCY_LIMIT') ||
    err.code === 'INTERNAL' ||
    (err.code === 'BAD_RESPONSE' && (err.httpStatus ?? 0) < 400);
  if (!uncertain) return err;
  return err.with({
    maybeCreated: true,
    retryable: false,
  });
}

/**
 * Submits a generation task. Validates first (no network call on a bad request). Retries only when the
 * service certainly created nothing; otherwise a failure that may have created a task is thrown with
 * `maybeCreated: true`. Does not take a task slot.
 */
export async function submitTask(
  ctx: ClientContext,
  req: VideoRequest,
  opts: CallOptions = {},
): Promise<SubmitResult> {
  const v = validateRequest(req);
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
    {
      ...retryOptions(ctx, opts.signal),
      shouldRetry: (err) => {
        if (!isJimengError(err) || err.maybeCreated) return false;
        if (err.code === 'QPS_LIMIT') return true;
        if (err.code === 'CONCURRENCY_LIMIT') return 3;
        return err.code === 'NETWORK';
      },
    },
  );
  ctx.logger?.info(
    { reqKey: v.model.reqKey, taskId: answer.taskId, requestId: answer.requestId },
    'jimeng submitted',
  );
  return { taskId: answer.taskId, reqKey: v.model.reqKey, requestId: answer.requestId, warnings: v.warnings };
}
