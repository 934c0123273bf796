/** Checks a video request against the model's rules before anything touches the network. */
import { validationError } from './errors.js';
import {
  DEFAULT_DURATION,
  DEFAULT_RATIO,
  type Duration,
  framesFor,
  getModel,
  isModelTier,
  type ModelInfo,
  type ModelTier,
  RATIOS,
  resolveModel,
  TIERS,
} from './models.js';
import { checkImageBytes, checkImageUrl } from './validate-image.js';

export {
  IMAGE_MAX_ASPECT,
  IMAGE_MAX_BYTES,
  IMAGE_MAX_SIDE,
  IMAGE_MIN_SIDE,
} from './validate-image.js';

export type ImageInput = { url: string } | { bytes: Uint8Array };

export interface VideoRequest {
  /** A tier ('720p' | '1080p' | 'pro') or an exact req_key. */
  model: ModelTier | string;
  /** Sent as written (newlines included); only surrounding whitespace is trimmed. */
  prompt: string;
  duration?: Duration;
  ratio?: string;
  /** -1 (default) = random. */
  seed?: number;
  /** The first-frame image. */
  image?: ImageInput;
  /** More images (first + last frame models take two): appended after `image`. */
  images?: ImageInput[];
}

/** The JSON body of CVSync2AsyncSubmitTask. */
export interface SubmitBody {
  req_key: string;
  prompt: string;
  seed: number;
  frames: 121 | 241;
  aspect_ratio?: string;
  image_urls?: string[];
  binary_data_base64?: string[];
}

/** Something accepted but ignored or risky; a code and values, like errors. */
export interface JimengWarning {
  code: 'RATIO_IGNORED';
  details: Record<string, string | number>;
}

export interface ValidatedRequest {
  model: ModelInfo;
  body: SubmitBody;
  duration: Duration;
  warnings: JimengWarning[];
}

export const PROMPT_MAX_CHARS = 800;
export const PROMPT_RECOMMENDED_CHARS = 400;
export const SEED_MAX = 2 ** 31 - 1;

const list = (values: readonly (string | number)[]) => values.join(', ');

function pickModel(req: VideoRequest, imageCount: number): ModelInfo {
  const name = String(req.model ?? '').trim();
  if (isModelTier(name)) {
    if (imageCount === 2 && name !== 'pro') {
      return getModel(name === '1080p' ? 'jimeng_i2v_first_tail_v30_1080' : 'jimeng_i2v_first_tail_v30')!;
    }
    return resolveModel(name, imageCount > 0);
  }
  const model = getModel(name);
  if (!model) {
    throw validationError('BAD_MODEL', `unknown model ${JSON.stringify(name)}`, {
      model: name,
      allowed: list(TIERS),
    });
  }
  return model;
}

/**
 * Validates a request and builds the submit body. Throws a JimengError (audience 'user') with a stable
 * code and details on the first problem found.
 */
export function validateRequest(req: VideoRequest): ValidatedRequest {
  const images = [...(req.image ? [req.image] : []), ...(req.images ?? [])];
  const model = pickModel(req, images.length);
  const warnings: JimengWarning[] = [];

  const prompt = typeof req.prompt === 'string' ? req.prompt.trim() : '';
  const chars = [...prompt].length;
  if (chars === 0) {
    throw validationError('PROMPT_EMPTY', 'prompt is empty', { chars: 0, max: PROMPT_MAX_CHARS });
  }
  if (chars > PROMPT_MAX_CHARS) {
    throw validationError('PROMPT_TOO_LONG', `prompt has ${chars} characters, max ${PROMPT_MAX_CHARS}`, {
      chars,
      max: PROMPT_MAX_CHARS,
      recommended: PROMPT_RECOMMENDED_CHARS,
    });
  }

  const duration = req.duration ?? DEFAULT_DURATION;
  if (!model.durations.includes(duration)) {
    throw validationError('BAD_DURATION', `duration ${String(duration)} not supported`, {
      value: Number(duration),
      allowed: list(model.durations),
    });
  }

  const seed = req.seed ?? -1;
  if (!Number.isSafeInteger(seed) || seed < -1 || seed > 0xffffffff) {
    throw validationError('BAD_SEED', `seed ${String(seed)} invalid`, {
      value: Number(seed),
      min: -1,
      max: 0xffffffff,
    });
  }

  const expected = model.images;
  if (images.length === 0 && model.kind === 'i2v') {
    throw validationError('IMAGE_REQUIRED', `model ${model.reqKey} needs ${expected} image(s)`, {
      model: model.reqKey,
      expected,
    });
  }
  if (images.length > 0 && model.kind === 't2v') {
    throw validationError('IMAGE_NOT_ALLOWED', `model ${model.reqKey} takes no image`, {
      model: model.reqKey,
    });
  }
  if (images.length > expected || (model.kind === 'i2v' && images.length !== expected)) {
    throw validationError(
      'IMAGE_COUNT',
      `model ${model.reqKey} takes ${expected} image(s), got ${images.length}`,
      {
        model: model.reqKey,
        expected,
        got: images.length,
      },
    );
  }

  const body: SubmitBody = { req_key: model.reqKey, prompt, seed, frames: framesFor(duration) };

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

  if (images.length > 0) {
    const urls = images.filter((i): i is { url: string } => 'url' in i);
    const bytes = images.filter((i): i is { bytes: Uint8Array } => 'bytes' in i);
    if (urls.length > 0 && bytes.length > 0) {
      throw validationError('IMAGE_MIXED', 'image_urls and binary_data_base64 cannot be mixed', {
        urls: urls.length,
        files: bytes.length,
      });
    }
    if (urls.length > 0) {
      urls.forEach((u, i) => {
        checkImageUrl(u.url, i);
      });
      body.image_urls = urls.map((u) => u.url);
    } else {
      bytes.forEach((b, i) => {
        checkImageBytes(b.bytes, i);
      });
      body.binary_data_base64 = bytes.map((b) => Buffer.from(b.bytes).toString('base64'));
    }
  }

  return { model, body, duration, warnings };
}
