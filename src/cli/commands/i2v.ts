/** `jimeng i2v --image <path|url> [--last <path|url> | --camera <template>] "<prompt>"`: image to video. */
import type { VideoRequest } from '../../jimeng/validate.js';
import { loadImage } from '../load-image.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './command.js';
import { generate } from './generate.js';

export async function i2vCommand(ctx: CommandContext): Promise<number> {
  const { values, positionals } = ctx.args;
  if (positionals.length === 0) throw new UsageError('MISSING_PROMPT', {}, 'i2v');
  if (!values.image) throw new UsageError('MISSING_IMAGE', {}, 'i2v');
  const extra: Partial<VideoRequest> = {
    images: {
      first: await loadImage(values.image, 'i2v'),
      ...(values.last ? { last: await loadImage(values.last, 'i2v') } : {}),
    },
  };
  if (values.camera || values.strength) {
    extra.camera = {
      template: values.camera ?? '',
      ...(values.strength ? { strength: values.strength } : {}),
    };
  }
  return generate('i2v', ctx, extra);
}
