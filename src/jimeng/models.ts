/** The Jimeng 3.0 video models (req_key) and what each accepts. Facts: shared/reference/jimeng-api.md. */

export type ModelTier = '720p' | '1080p' | 'pro';
export type Duration = 5 | 10;
export type ModelKind = 't2v' | 'i2v' | 'both';

export interface ModelInfo {
  reqKey: string;
  tier: ModelTier;
  /** t2v: text only; i2v: needs image(s); both: text only or one first-frame image. */
  kind: ModelKind;
  /** Short Chinese label for lists and cards. */
  label: string;
  resolution: string;
  durations: Duration[];
  /** aspect_ratio values the model takes for text-to-video; empty when it takes none (ratio follows the image). */
  ratios: string[];
  /** How many images the model takes (for 'both': 0 or 1). */
  images: 0 | 1 | 2;
  /** Price per second of video, 元 (approximate, from the original spec). */
  pricePerSecond: number;
  /** false when only the original spec lists it (not confirmed in the official docs). */
  documented: boolean;
}

export const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];
export const DURATIONS: Duration[] = [5, 10];
export const DEFAULT_RATIO = '16:9';
export const DEFAULT_DURATION: Duration = 5;

const PRICE: Record<ModelTier, number> = { '720p': 0.6, '1080p': 0.8, pro: 1.0 };

function model(m: Omit<ModelInfo, 'durations' | 'pricePerSecond'>): ModelInfo {
  return { ...m, durations: [...DURATIONS], pricePerSecond: PRICE[m.tier] };
}

export const MODELS: readonly ModelInfo[] = Object.freeze([
  model({
    reqKey: 'jimeng_t2v_v30',
    tier: '720p',
    kind: 't2v',
    label: '即梦 3.0 文生视频 720P',
    resolution: '720P',
    ratios: [...RATIOS],
    images: 0,
    documented: true,
  }),
  model({
    reqKey: 'jimeng_t2v_v30_1080p',
    tier: '1080p',
    kind: 't2v',
    label: '即梦 3.0 文生视频 1080P',
    resolution: '1080P',
    ratios: [...RATIOS],
    images: 0,
    documented: true,
  }),
  model({
    reqKey: 'jimeng_ti2v_v30_pro',
    tier: 'pro',
    kind: 'both',
    label: '即梦 3.0 Pro 文生/图生视频',
    resolution: '1080P',
    ratios: [...RATIOS],
    images: 1,
    documented: true,
  }),
  model({
    reqKey: 'jimeng_i2v_first_v30',
    tier: '720p',
    kind: 'i2v',
    label: '即梦 3.0 图生视频（首帧）720P',
    resolution: '720P',
    ratios: [],
    images: 1,
    documented: true,
  }),
  model({
    reqKey: 'jimeng_i2v_first_v30_1080',
    tier: '1080p',
    kind: 'i2v',
    label: '即梦 3.0 图生视频（首帧）1080P',
    resolution: '1080P',
    ratios: [],
    images: 1,
    documented: true,
  }),
  model({
    reqKey: 'jimeng_i2v_first_tail_v30',
    tier: '720p',
    kind: 'i2v',
    label: '即梦 3.0 图生视频（首尾帧）720P',
    resolution: '720P',
    ratios: [],
    images: 2,
    documented: true,
  }),
  model({
    reqKey: 'jimeng_i2v_first_tail_v30_1080',
    tier: '1080p',
    kind: 'i2v',
    label: '即梦 3.0 图生视频（首尾帧）1080P',
    resolution: '1080P',
    ratios: [],
    images: 2,
    documented: true,
  }),
  model({
    reqKey: 'jimeng_i2v_recamera_v30',
    tier: '720p',
    kind: 'i2v',
    label: '即梦 3.0 运镜（图生视频）720P',
    resolution: '720P',
    ratios: [],
    images: 1,
    documented: true,
  }),
]);

export const TIERS: ModelTier[] = ['720p', '1080p', 'pro'];

export function isModelTier(value: string): value is ModelTier {
  return (TIERS as string[]).includes(value);
}

export function getModel(reqKey: string): ModelInfo | undefined {
  return MODELS.find((m) => m.reqKey === reqKey);
}

/** The model a tier means: text-only or with one first-frame image. */
export function resolveModel(tier: ModelTier, hasImage: boolean): ModelInfo {
  const key =
    tier === 'pro'
      ? 'jimeng_ti2v_v30_pro'
      : tier === '1080p'
        ? hasImage
          ? 'jimeng_i2v_first_v30_1080'
          : 'jimeng_t2v_v30_1080p'
        : hasImage
          ? 'jimeng_i2v_first_v30'
          : 'jimeng_t2v_v30';
  return getModel(key)!;
}

export function framesFor(duration: Duration): 121 | 241 {
  return duration === 10 ? 241 : 121;
}

/** Approximate cost in 元 of `seconds` of video from `model` (rounded to fen). */
export function priceOf(model: ModelInfo, seconds: number): number {
  return Math.round(model.pricePerSecond * seconds * 100) / 100;
}
