/** Waits for a submitted task with the progress line, then prints the outcome. */
import type { JimengClient, WaitResult } from '../../jimeng/client.js';
import { intOption } from '../args.js';
import { finish } from '../finish.js';
import { systemClock } from '../io.js';
import { startProgress } from '../progress.js';
import type { CommandContext } from './command.js';

export async function awaitTask(
  client: JimengClient,
  taskId: string,
  reqKey: string,
  ctx: CommandContext,
  command: string,
  initialStatus: string,
): Promise<number> {
  const timeoutS = intOption('timeout', ctx.args.values.timeout, command);
  const progress = startProgress({
    stream: ctx.io.stderr,
    clock: ctx.io.clock ?? systemClock,
    initialStatus,
  });
  let result: WaitResult;
  try {
    result = await client.wait(taskId, reqKey, {
      timeoutMs: timeoutS !== undefined ? timeoutS * 1000 : undefined,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.end();
  }
  return finish(client, result, { taskId, reqKey, outFile: ctx.args.values.out, json: ctx.json }, ctx);
}
