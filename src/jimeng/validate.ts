/** Checks a video request against the model's rules before anything touches the network. */
import { validationError } from './errors.js';
import { imageInfo } from './image-info.js';
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
} from './models.js';

export type ImageInput = { url: string } | { bytes: Uint8Array };

export interface VideoRequest {
  /** A tier ('720p' | '1080p' | 'pro') or an exact req_key. */
  model: ModelTier | string;
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

export interface ValidatedRequest {
  model: ModelInfo;
  body: SubmitBody;
  duration: Duration;
  /** Things accepted but ignored (e.g. a ratio with an image), in Chinese. */
  warnings: string[];
}

export const PROMPT_MAX_CHARS = 800;
export const IMAGE_MAX_BYTES = Math.floor(4.7 * 1024 * 1024);
export const IMAGE_MIN_SIDE = 320;
export const IMAGE_MAX_SIDE = 4096;
export const IMAGE_MAX_ASPECT = 3;

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
    throw validationError(
      'BAD_MODEL',
      `不认识的模型「${name}」，可选：720p、1080p、pro 或完整的 req_key。`,
      `unknown model ${JSON.stringify(name)}`,
    );
  }
  return model;
}

function checkImageBytes(bytes: Uint8Array, index: number): void {
  const which = index === 0 ? '图片' : `第 ${index + 1} 张图片`;
  const info = imageInfo(bytes);
  if (info.format !== 'jpeg' && info.format !== 'png') {
    throw validationError(
      'IMAGE_FORMAT',
      `${which}格式不支持（${info.format === 'unknown' ? '无法识别' : info.format.toUpperCase()}），只支持 JPEG 或 PNG。`,
      `image format ${info.format} not supported (JPEG/PNG only)`,
    );
  }
  if (bytes.length > IMAGE_MAX_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    throw validationError(
      'IMAGE_TOO_LARGE',
      `${which}太大（${mb} MB），最大 4.7 MB。`,
      `image is ${bytes.length} bytes, max ${IMAGE_MAX_BYTES}`,
    );
  }
  const { width, height } = info;
  if (!width || !height) {
    throw validationError(
      'IMAGE_FORMAT',
      `${which}文件已损坏，读不出尺寸。`,
      'could not read image dimensions',
    );
  }
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  if (short < IMAGE_MIN_SIDE || long > IMAGE_MAX_SIDE) {
    throw validationError(
      'IMAGE_DIMENSIONS',
      `${which}尺寸 ${width}×${height} 不符合要求：短边至少 ${IMAGE_MIN_SIDE} 像素，长边最多 ${IMAGE_MAX_SIDE} 像素。`,
      `image ${width}x${height}: sides must be within ${IMAGE_MIN_SIDE}..${IMAGE_MAX_SIDE}`,
    );
  }
  if (long / short > IMAGE_MAX_ASPECT) {
    throw validationError(
      'IMAGE_ASPECT',
      `${which}太细长（${width}×${height}），长边与短边之比不能超过 3:1。`,
      `image ${width}x${height}: long:short ratio above 3`,
    );
  }
}

function checkImageUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw validationError(
      'IMAGE_URL',
      '图片链接无效，必须是 http:// 或 https:// 开头的网址。',
      `image url must be http(s): ${url.slice(0, 100)}`,
    );
  }
}

/**
 * Validates a request and builds the submit body. Throws a JimengError (audience 'user') with a stable
 * code and a Chinese message on the first problem found.
 */
export function validateRequest(req: VideoRequest): ValidatedRequest {
  const images = [...(req.image ? [req.image] : []), ...(req.images ?? [])];
  const model = pickModel(req, images.length);
  const warnings: string[] = [];

  const prompt = typeof req.prompt === 'string' ? req.prompt.trim() : '';
  const chars = [...prompt].length;
  if (chars === 0) throw validationError('PROMPT_EMPTY', '请写一段视频描述（提示词）。', 'prompt is empty');
  if (chars > PROMPT_MAX_CHARS) {
    throw validationError(
      'PROMPT_TOO_LONG',
      `描述太长了（${chars} 字），最多 ${PROMPT_MAX_CHARS} 字，建议 400 字以内。`,
      `prompt has ${chars} characters, max ${PROMPT_MAX_CHARS}`,
    );
  }

  const duration = req.duration ?? DEFAULT_DURATION;
  if (!model.durations.includes(duration)) {
    throw validationError(
      'BAD_DURATION',
      `时长 ${String(duration)} 秒不支持，只能是 ${model.durations.join(' 或 ')} 秒。`,
      `duration ${String(duration)} not supported (${model.durations.join('|')})`,
    );
  }

  const seed = req.seed ?? -1;
  if (!Number.isSafeInteger(seed) || seed < -1 || seed > 0xffffffff) {
    throw validationError(
      'BAD_SEED',
      `随机种子 ${String(seed)} 无效，应为 -1（随机）或 0 到 4294967295 之间的整数。`,
      `seed ${String(seed)} invalid`,
    );
  }

  if (images.length === 0 && model.kind === 'i2v') {
    throw validationError(
      'IMAGE_REQUIRED',
      `模型「${model.label}」需要${model.images === 2 ? '两张图片（首帧和尾帧）' : '一张图片作为首帧'}。`,
      `model ${model.reqKey} needs ${model.images} image(s)`,
    );
  }
  if (images.length > 0 && model.kind === 't2v') {
    throw validationError(
      'IMAGE_NOT_ALLOWED',
      `模型「${model.label}」只支持文字生成视频，不能带图片。`,
      `model ${model.reqKey} takes no image`,
    );
  }
  if (images.length > model.images || (model.kind === 'i2v' && images.length !== model.images)) {
    throw validationError(
      'IMAGE_COUNT',
      `模型「${model.label}」需要 ${model.images} 张图片，收到 ${images.length} 张。`,
      `model ${model.reqKey} takes ${model.images} image(s), got ${images.length}`,
    );
  }

  const body: SubmitBody = { req_key: model.reqKey, prompt, seed, frames: framesFor(duration) };

  if (req.ratio !== undefined && !RATIOS.includes(req.ratio)) {
    throw validationError(
      'BAD_RATIO',
      `画面比例 ${req.ratio} 不支持，可选：${RATIOS.join('、')}。`,
      `ratio ${req.ratio} not supported (${RATIOS.join(' ')})`,
    );
  }
  if (images.length === 0) {
    const ratio = req.ratio ?? DEFAULT_RATIO;
    if (!model.ratios.includes(ratio)) {
      throw validationError(
        'BAD_RATIO',
        `模型「${model.label}」不支持画面比例 ${ratio}，可选：${model.ratios.join('、')}。`,
        `ratio ${ratio} not supported by ${model.reqKey}`,
      );
    }
    body.aspect_ratio = ratio;
  } else if (req.ratio !== undefined) {
    warnings.push(`带图片时画面比例由图片决定，已忽略 ${req.ratio}。`);
  }

  if (images.length > 0) {
    const urls = images.filter((i): i is { url: string } => 'url' in i);
    const bytes = images.filter((i): i is { bytes: Uint8Array } => 'bytes' in i);
    if (urls.length > 0 && bytes.length > 0) {
      throw validationError(
        'IMAGE_MIXED',
        '多张图片必须都是链接或都是上传的文件，不能混用。',
        'image_urls and binary_data_base64 cannot be mixed',
      );
    }
    if (urls.length > 0) {
      for (const u of urls) checkImageUrl(u.url);
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
