/**
 * CVSync2AsyncGetResult: the task's status; once done, its video_url, or the business code it failed with.
 * - An unknown task, or one submitted by another account, answers code 10000 with data.status `not_found`.
 * - A req_key other than the submit's is invalid input (50215: the docs say it must match).
 * - A req_key the account has not enabled (`deniedModels`) answers 403 with 50400, as submit does.
 * - A failed task answers its code with `data: null` ("code!=10000的情况下，该字段返回为null", on the 720P
 *   page's get-result error example), or the old `data: {status: 'done', video_url: ''}` when
 *   `faults.nullDataOnFailure` is false.
 */
import { failureOf } from './fault-plan.js';
import type { CallContext } from './responder.js';
import type { SimState } from './sim-state.js';
import { validateGetResultBody } from './validate-get-result.js';

export function handleGetResult(s: SimState, ctx: CallContext, ak: string, json: unknown) {
  const { respond, faults } = s;
  const v = validateGetResultBody(json);
  if (!v.ok) return respond.biz(ctx, 400, 50215, null, v.reason);
  ctx.taskId = v.value.taskId;
  if (s.accounts.denies(ak, v.value.reqKey)) return respond.biz(ctx, 403, 50400, null, 'model not enabled');
  const task = s.book.find(v.value.taskId, ak);
  if (!task) return respond.biz(ctx, 200, 10000, { status: 'not_found', video_url: '' });
  if (task.reqKey !== v.value.reqKey)
    return respond.biz(ctx, 400, 50215, null, 'req_key does not match the task');
  task.polls++;
  const status = s.book.statusOf(task);
  if (status !== 'done') return respond.biz(ctx, 200, 10000, { status, video_url: '' });
  if (task.outcome !== 'ok') {
    const f = failureOf(task.failure ?? { code: 50500 });
    const data = faults.nullDataOnFailure ? null : { status: 'done', video_url: '' };
    return respond.biz(ctx, f.httpStatus, f.code, data, `task failed (${task.fault})`, f.message);
  }
  respond.biz(ctx, 200, 10000, {
    status: 'done',
    video_url: `${s.videoBase()}/videos/${task.id}.mp4?X-Expires=${Math.round(s.videoTtlMs / 1000)}`,
    aigc_meta_tagged: true,
    seed: task.seed,
  });
}
