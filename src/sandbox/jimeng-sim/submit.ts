/**
 * CVSync2AsyncSubmitTask: validates the body (50215), refuses a model the account has not enabled (50400),
 * applies submit-only faults, the account's
 * concurrency limit (50430) and the prompt triggers, then creates the task and answers its id.
 */
import { randomInt } from 'node:crypto';
import { decideOutcome, takeFault } from './fault-plan.js';
import type { CallContext } from './responder.js';
import type { SimState } from './sim-state.js';
import type { SimTask } from './types.js';
import { validateSubmitBody } from './validate-submit.js';

/**
 * `mayTakeFault`: no any-action fault was taken for this call, so the head of `faults.next` may be a
 * submit-only one for it.
 */
export function handleSubmit(
  s: SimState,
  ctx: CallContext,
  ak: string,
  json: unknown,
  mayTakeFault: boolean,
) {
  const { faults, respond } = s;
  const v = validateSubmitBody(json, s.submitRules);
  if (!v.ok) return respond.biz(ctx, 400, 50215, null, v.reason);
  const body = v.value;
  if (s.accounts.denies(ak, body.reqKey)) return respond.biz(ctx, 403, 50400, null, 'model not enabled');
  const trig = faults.promptTriggers ? body.prompt : '';
  const injected = mayTakeFault ? takeFault(faults, () => true) : undefined;
  if (injected === 'concurrency') return respond.biz(ctx, 429, 50430, null, 'injected');
  const { maxConcurrentTasks } = s.accounts.limitsOf(ak);
  if (maxConcurrentTasks > 0 && s.book.unfinished(ak) >= maxConcurrentTasks) {
    return respond.biz(ctx, 429, 50430, null, 'too many unfinished tasks');
  }
  if (injected === 'risk_image' || trig.includes('RISK_IMAGE'))
    return respond.biz(ctx, 400, 50411, null, 'risk');
  if (injected === 'risk_text' || (trig.includes('RISK') && !trig.includes('RISK_OUTPUT'))) {
    return respond.biz(ctx, 400, 50412, null, 'risk');
  }
  if (trig.includes('SLOW')) ctx.delayMs = Math.max(ctx.delayMs, faults.slowMs);

  s.createdCount++;
  const outcome = decideOutcome(faults, injected, trig, s.createdCount);
  const task: SimTask = {
    id: s.book.newId(),
    reqKey: body.reqKey,
    accessKeyId: ak,
    body: json as Record<string, unknown>,
    prompt: body.prompt,
    frames: body.frames,
    requestedSeed: body.seed,
    seed: body.seed === -1 ? randomInt(2 ** 31 - 1) : body.seed,
    images: body.images,
    imageUrls: body.imageUrls,
    createdAt: Date.now(),
    generationMs: s.generationMs,
    polls: 0,
    ...outcome,
  };
  if (body.aspectRatio !== undefined) task.aspectRatio = body.aspectRatio;
  if (body.templateId !== undefined) task.templateId = body.templateId;
  if (body.cameraStrength !== undefined) task.cameraStrength = body.cameraStrength;
  s.book.add(task);
  ctx.taskId = task.id;
  s.logger.debug({ taskId: task.id, reqKey: body.reqKey, fault: task.fault }, 'jimeng-sim task created');
  respond.biz(ctx, 200, 10000, { task_id: task.id });
}
