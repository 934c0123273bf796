/** `--image` as a URL (passed to the service) or a local file (sent as bytes). */
import { readFile } from 'node:fs/promises';
import type { ImageInput } from '../jimeng/validate.js';
import { UsageError } from './usage-error.js';

export async function loadImage(spec: string, command: string): Promise<ImageInput> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) return { url: spec };
  try {
    return { bytes: new Uint8Array(await readFile(spec)) };
  } catch (e) {
    throw new UsageError('UNREADABLE_FILE', { path: spec, reason: (e as Error).message }, command);
  }
}
