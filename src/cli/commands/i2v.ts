/** `jimeng i2v --image <path|url> "<prompt>"`: image to video. */
import { loadImage } from '../load-image.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './command.js';
import { generate } from './generate.js';

export async function i2vCommand(ctx: CommandContext): Promise<number> {
  const { values, positionals } = ctx.args;
  if (positionals.length === 0) throw new UsageError('MISSING_PROMPT', {}, 'i2v');
  if (!values.image) throw new UsageError('MISSING_IMAGE', {}, 'i2v');
  return generate('i2v', ctx, { image: await loadImage(values.image, 'i2v') });
}
