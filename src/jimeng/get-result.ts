/** CVSync2AsyncGetResult: one poll of one task, transient failures retried (it is idempotent). */
import { type CallOptions, type ClientContext, GET_RESULT_ACTION, retryOptions } from './client-options.js';
import { isJimengError } from './errors.js';
import { parseResultResponse, type TaskResult } from './parse-result.js';
import { withRetry } from './retry.js';
import { signedCall } from './signed-call.js';
import { checkTaskRef } from './task-ref.js';

/** One poll. `reqKey` must be the key the task was submitted with. */
export async function getTaskResult(
  ctx: ClientContext,
  taskId: string,
  reqKey: string,
  opts: CallOptions = {},
): Promise<TaskResult> {
  checkTaskRef(taskId, reqKey, ctx.catalog);
  return withRetry(
    async () => {
      const raw = await signedCall(ctx, GET_RESULT_ACTION, { req_key: reqKey, task_id: taskId }, opts.signal);
      return parseResultResponse(raw.status, raw.text, raw.requestId);
    },
    {
      ...retryOptions(ctx, opts.signal),
      shouldRetry: (err) => {
        if (!isJimengError(err) || !err.retryable || err.code === 'ABORTED') return false;
        return err.code === 'CONCURRENCY_LIMIT' ? 2 : true;
      },
    },
  );
}
