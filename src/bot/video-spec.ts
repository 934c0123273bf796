import { isJimengError } from '../jimeng/errors.js';
import type { ModelCatalog, ModelInfo } from '../jimeng/models.js';
import { validateRequest } from '../jimeng/validate.js';
import type { CameraMotion, Tier } from '../store/records.js';
import type { FoundImage } from './find-images.js';

/** Everything a video job is made from, before it is checked. */
export interface VideoSpec {
  prompt: string;
  tier: Tier;
  duration: 5 | 10;
  /** Used without images only. */
  ratio: string;
  seed: number;
  images: FoundImage[];
  camera?: CameraMotion;
}

export type Checked =
  | { ok: true; model: ModelInfo; costYuan: number }
  | { ok: false; code: string; details?: Record<string, string | number> };

/** Whatever Jimeng would reject, found before any money is reserved; the model and its cost otherwise. */
export function checkSpec(spec: VideoSpec, catalog: ModelCatalog): Checked {
  const [first, last] = spec.images;
  try {
    const { model, warnings } = validateRequest(
      {
        model: spec.tier,
        prompt: spec.prompt,
        duration: spec.duration,
        seed: spec.seed,
        ...(first ? {} : { ratio: spec.ratio }),
        ...(first
          ? { images: { first: { bytes: first.bytes }, ...(last ? { last: { bytes: last.bytes } } : {}) } }
          : {}),
        ...(spec.camera ? { camera: spec.camera } : {}),
      },
      catalog,
    );
    // Jimeng refuses a last frame whose ratio differs from the first's ("尾帧图片需与首帧图片比例相同")
    // only after the task was created: refuse it here, before anything is reserved.
    const differ = warnings.find((w) => w.code === 'FRAME_RATIOS_DIFFER');
    if (differ) return { ok: false, code: 'IMAGE_RATIO_MISMATCH', details: differ.details };
    return { ok: true, model, costYuan: catalog.priceOf(model, spec.duration) };
  } catch (err) {
    if (!isJimengError(err)) throw err;
    return { ok: false, code: err.code, ...(err.details ? { details: err.details } : {}) };
  }
}

/** A seed the bot picks when the user gave none (or -1): an integer in [0, 2^31 − 1). */
export function randomSeed(random: () => number = Math.random): number {
  return Math.floor(random() * (2 ** 31 - 1));
}
