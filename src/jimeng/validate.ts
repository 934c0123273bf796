/** Checks a video request against the model's rules before anything touches the network. */
import { validationError } from './errors.js';
import { defaultCatalog, type ModelCatalog } from './model-catalog.js';
import { DEFAULT_DURATION, DEFAULT_RATIO, framesFor, RATIOS } from './model-definitions.js';
import { requestModel } from './request-mode.js';
import { checkCamera } from './validate-camera.js';
import { checkImageBytes, checkImageUrl } from './validate-image.js';
import type { JimengWarning, SubmitBody, ValidatedRequest, VideoRequest } from './video-request.js';

export {
  IMAGE_MAX_ASPECT,
  IMAGE_MAX_BYTES,
  IMAGE_MAX_SIDE,
  IMAGE_MIN_SIDE,
} from './validate-image.js';
export type {
  CameraMotion,
  ImageInput,
  JimengWarning,
  SubmitBody,
  ValidatedRequest,
  VideoRequest,
} from './video-request.js';

export const PROMPT_MAX_CHARS = 800;
export const PROMPT_RECOMMENDED_CHARS = 400;
/** Seeds are -1 (random) or an integer in [0, SEED_MAX]. */
export const SEED_MAX = 2 ** 31 - 1;

const list = (values: readonly (string | number)[]) => values.join(', ');
/** First and last frame ratios further apart than this get a FRAME_RATIOS_DIFFER warning. */
const FRAME_RATIO_TOLERANCE = 0.01;

function checkPrompt(raw: unknown): string {
  const prompt = typeof raw === 'string' ? raw.trim() : '';
  const chars = [...prompt].length;
  if (chars === 0)
    throw validationError('PROMPT_EMPTY', 'prompt is empty', { chars: 0, max: PROMPT_MAX_CHARS });
  if (chars > PROMPT_MAX_CHARS) {
    throw validationError('PROMPT_TOO_LONG', `prompt has ${chars} characters, max ${PROMPT_MAX_CHARS}`, {
      chars,
      max: PROMPT_MAX_CHARS,
      recommended: PROMPT_RECOMMENDED_CHARS,
    });
  }
  return prompt;
}

function checkSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < -1 || seed > SEED_MAX) {
    throw validationError('BAD_SEED', `seed ${String(seed)} invalid (-1 or 0..${SEED_MAX})`, {
      value: Number(seed),
      min: -1,
      max: SEED_MAX,
    });
  }
  return seed;
}

/**
 * Validates a request and builds the submit body. Throws a JimengError (audience 'user') with a stable code
 * and details on the first problem found. `catalog` supplies the prices reported on `model`.
 */
export function validateRequest(req: VideoRequest, catalog: ModelCatalog = defaultCatalog): ValidatedRequest {
  const { model, mode, images } = requestModel(req, catalog);
  const warnings: JimengWarning[] = [];
  const prompt = checkPrompt(req.prompt);

  const duration = req.duration ?? DEFAULT_DURATION;
  if (!model.durations.includes(duration)) {
    throw validationError('BAD_DURATION', `duration ${String(duration)} not supported`, {
      value: Number(duration),
      allowed: list(model.durations),
    });
  }

  const body: SubmitBody = {
    req_key: model.reqKey,
    prompt,
    seed: checkSeed(req.seed ?? -1),
    frames: framesFor(duration),
  };

  if (req.ratio !== undefined && !RATIOS.includes(req.ratio)) {
    throw validationError('BAD_RATIO', `ratio ${req.ratio} not supported`, {
      value: req.ratio,
      allowed: list(RATIOS),
    });
  }
  if (images.length === 0) {
    const ratio = req.ratio ?? DEFAULT_RATIO;
    if (!model.ratios.includes(ratio)) {
      throw validationError('BAD_RATIO', `ratio ${ratio} not supported by ${model.reqKey}`, {
        value: ratio,
        allowed: list(model.ratios),
        model: model.reqKey,
      });
    }
    body.aspect_ratio = ratio;
  } else if (req.ratio !== undefined) {
    warnings.push({ code: 'RATIO_IGNORED', details: { ratio: req.ratio } });
  }

  if (mode === 'camera' && req.camera) Object.assign(body, checkCamera(req.camera));

  if (images.length > 0) {
    const urls = images.flatMap((i) => ('url' in i ? [i.url] : []));
    const files = images.flatMap((i) => ('bytes' in i ? [i.bytes] : []));
    if (urls.length > 0 && files.length > 0) {
      throw validationError('IMAGE_MIXED', 'image_urls and binary_data_base64 cannot be mixed', {
        urls: urls.length,
        files: files.length,
      });
    }
    if (urls.length > 0) {
      urls.forEach((u, i) => {
        checkImageUrl(u, i);
      });
      body.image_urls = urls;
    } else {
      const sizes = files.map((b, i) => checkImageBytes(b, i));
      const [first, last] = sizes;
      if (
        first &&
        last &&
        Math.abs(first.width / first.height / (last.width / last.height) - 1) > FRAME_RATIO_TOLERANCE
      ) {
        warnings.push({
          code: 'FRAME_RATIOS_DIFFER',
          details: {
            firstWidth: first.width,
            firstHeight: first.height,
            lastWidth: last.width,
            lastHeight: last.height,
          },
        });
      }
      body.binary_data_base64 = files.map((b) => Buffer.from(b).toString('base64'));
    }
  }

  return { model, mode, body, duration, warnings };
}
