/** Shared by t2v and i2v: build the request, validate it offline, submit, and wait when asked. */
import { priceOf } from '../../jimeng/models.js';
import { type VideoRequest, validateRequest } from '../../jimeng/validate.js';
import { intOption } from '../args.js';
import { finish } from '../finish.js';
import { makeClient } from '../make-client.js';
import { warningText } from '../texts/warnings.js';
import { UsageError } from '../usage-error.js';
import { awaitTask } from './await-task.js';
import type { CommandContext } from './command.js';

export async function generate(
  command: 't2v' | 'i2v',
  ctx: CommandContext,
  extra: Partial<VideoRequest>,
): Promise<number> {
  const { values, positionals } = ctx.args;
  if (positionals.length === 0) throw new UsageError('MISSING_PROMPT', {}, command);
  intOption('timeout', values.timeout, command); // a typo in --timeout is a usage error before any call
  const req: VideoRequest = {
    model: values.model ?? '720p',
    prompt: positionals.join(' '),
    duration: intOption('duration', values.duration, command) as 5 | 10 | undefined,
    seed: intOption('seed', values.seed, command),
    ...(values.ratio !== undefined ? { ratio: values.ratio } : {}),
    ...extra,
  };
  // Validate before anything else (no network call, no keys needed to learn the input is wrong).
  const v = validateRequest(req);
  for (const w of v.warnings) ctx.err(warningText(w));
  const client = makeClient(ctx.io, ctx.args.values.account);
  const submitted = await client.submit(req);
  if (!ctx.json) {
    const price = priceOf(v.model, v.duration);
    ctx.err(
      `已提交 (submitted) task_id=${submitted.taskId} req_key=${submitted.reqKey}，约 ¥${price.toFixed(2)}`,
    );
  }
  if (!values.wait && !values.out) {
    return finish(client, { status: 'in_queue' }, { ...submitted, json: ctx.json }, ctx);
  }
  return awaitTask(client, submitted.taskId, submitted.reqKey, ctx, command, 'submitted');
}
