/** `jimeng status <task_id> --model <M>`: one query. */
import { finish } from '../finish.js';
import { makeClient } from '../make-client.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './command.js';
import { candidateKeys, findTask } from './find-task.js';

export async function statusCommand(ctx: CommandContext): Promise<number> {
  const { values, positionals } = ctx.args;
  const taskId = positionals[0];
  if (!taskId || positionals.length > 1) throw new UsageError('BAD_TASK_ARGS', {}, 'status');
  const candidates = candidateKeys(values.model, 'status');
  const client = makeClient(ctx.io, ctx.args.values.account);
  const { reqKey, result } = await findTask(client, taskId, candidates);
  return finish(client, result, { taskId, reqKey, outFile: values.out, json: ctx.json }, ctx);
}
