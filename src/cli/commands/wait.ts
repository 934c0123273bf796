/** `jimeng wait <task_id> --model <M>`: wait until the task is finished. */
import { intOption } from '../args.js';
import { finish } from '../finish.js';
import { makeClient } from '../make-client.js';
import { UsageError } from '../usage-error.js';
import { awaitTask } from './await-task.js';
import type { CommandContext } from './command.js';
import { candidateKeys, findTask } from './find-task.js';

export async function waitCommand(ctx: CommandContext): Promise<number> {
  const { values, positionals } = ctx.args;
  const taskId = positionals[0];
  if (!taskId || positionals.length > 1) throw new UsageError('BAD_TASK_ARGS', {}, 'wait');
  const candidates = candidateKeys(values.model, 'wait');
  intOption('timeout', values.timeout, 'wait');
  const client = makeClient(ctx.io, ctx.args.values.account);
  const { reqKey, result } = await findTask(client, taskId, candidates);
  if (result.status !== 'in_queue' && result.status !== 'generating') {
    return finish(client, result, { taskId, reqKey, outFile: values.out, json: ctx.json }, ctx);
  }
  return awaitTask(client, taskId, reqKey, ctx, 'wait', result.status);
}
