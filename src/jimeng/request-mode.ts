/** Which model a request means: its mode from what it carries, then the tier's model or the exact key's check. */
import { validationError } from './errors.js';
import type { ModelCatalog, ModelInfo } from './model-catalog.js';
import { isModelTier, MODE_IMAGES, type ModelMode, TIERS } from './model-definitions.js';
import type { ImageInput, VideoRequest } from './video-request.js';

export interface RequestModel {
  model: ModelInfo;
  mode: ModelMode;
  /** In body order: first frame, then last frame. */
  images: ImageInput[];
}

/** camera → camera; a last frame → first + last; one image → first frame; none → text. */
export function modeOf(req: VideoRequest): ModelMode {
  if (req.camera) return 'camera';
  if (req.images?.last) return 'first_last_frame';
  return req.image || req.images?.first ? 'first_frame' : 'text';
}

/** The most helpful error when `model` (an exact key) does not take what the request carries. */
function mismatch(model: ModelInfo, req: VideoRequest, given: number): never {
  const key = model.reqKey;
  if (req.camera && !model.modes.includes('camera')) {
    throw validationError('CAMERA_NOT_ALLOWED', `model ${key} takes no camera template`, { model: key });
  }
  const counts = model.modes.map((m) => MODE_IMAGES[m]);
  const max = Math.max(...counts);
  if (given > 0 && max === 0) {
    throw validationError('IMAGE_NOT_ALLOWED', `model ${key} takes no image`, { model: key });
  }
  if (given === 0) {
    const expected = Math.min(...counts.filter((c) => c > 0));
    throw validationError('IMAGE_REQUIRED', `model ${key} needs ${expected} image(s)`, {
      model: key,
      expected,
    });
  }
  if (model.modes.includes('camera') && !req.camera && given === 1) {
    throw validationError('CAMERA_REQUIRED', `model ${key} needs a camera template`, { model: key });
  }
  const expected = counts.find((c) => c > 0) ?? max;
  throw validationError('IMAGE_COUNT', `model ${key} takes ${expected} image(s), got ${given}`, {
    model: key,
    expected,
    got: given,
  });
}

export function requestModel(req: VideoRequest, catalog: ModelCatalog): RequestModel {
  const name = String(req.model ?? '').trim();
  const first = req.images?.first ?? req.image;
  const last = req.images?.last;
  const given = (req.image ? 1 : 0) + (req.images?.first ? 1 : 0) + (last ? 1 : 0);
  const mode = modeOf(req);
  let model: ModelInfo;
  if (isModelTier(name)) {
    model = catalog.resolve(name, mode);
  } else {
    const found = catalog.get(name);
    if (!found) {
      throw validationError('BAD_MODEL', `unknown model ${JSON.stringify(name)}`, {
        model: name,
        allowed: TIERS.join(', '),
      });
    }
    model = found;
    if (!model.modes.includes(mode)) mismatch(model, req, given);
  }
  if (given !== MODE_IMAGES[mode] || (last && !first)) {
    if (last && !first) {
      throw validationError('IMAGE_REQUIRED', `model ${model.reqKey} needs the first frame too`, {
        model: model.reqKey,
        expected: 2,
        frame: 'first',
      });
    }
    if (given === 0) {
      throw validationError('IMAGE_REQUIRED', `model ${model.reqKey} needs ${MODE_IMAGES[mode]} image(s)`, {
        model: model.reqKey,
        expected: MODE_IMAGES[mode],
      });
    }
    throw validationError(
      'IMAGE_COUNT',
      `model ${model.reqKey} takes ${MODE_IMAGES[mode]} image(s), got ${given}`,
      {
        model: model.reqKey,
        expected: MODE_IMAGES[mode],
        got: given,
      },
    );
  }
  return { model, mode, images: [first, last].filter((i): i is ImageInput => i !== undefined) };
}
