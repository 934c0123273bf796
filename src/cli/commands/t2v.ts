/** `jimeng t2v "<prompt>"`: text to video. */
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './command.js';
import { generate } from './generate.js';

export function t2vCommand(ctx: CommandContext): Promise<number> {
  const { image, last, camera } = ctx.args.values;
  if (image || last || camera) throw new UsageError('IMAGE_WITH_T2V', {}, 't2v');
  return generate('t2v', ctx, {});
}
