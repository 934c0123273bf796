/**
 * The Jimeng 3.0 video models (req_key), what each takes, without prices (see model-catalog.ts).
 * Facts: shared/reference/jimeng-api.md (Models table, corrected 2026-12-03).
 */

export type ModelTier = '720p' | '1080p' | 'pro';
export type Duration = 5 | 10;
/** t2v: text only; i2v: needs image(s); both: text only or one first-frame image. */
export type ModelKind = 't2v' | 'i2v' | 'both';
/** What a request gives besides the prompt: nothing, a first frame, first + last frames, or one image + a camera template. */
export type ModelMode = 'text' | 'first_frame' | 'first_last_frame' | 'camera';

export interface ModelDefinition {
  reqKey: string;
  tier: ModelTier;
  kind: ModelKind;
  modes: readonly ModelMode[];
  /** Short name as Jimeng calls it (Chinese) and in English. */
  label: string;
  labelEn: string;
  resolution: string;
  durations: Duration[];
  /** aspect_ratio values the model takes for text-to-video; empty when it takes none (ratio follows the image). */
  ratios: string[];
  /** The most images the model takes. */
  images: 0 | 1 | 2;
  /** false when only the original spec lists it (not confirmed in the official docs). */
  documented: boolean;
}

export const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];
export const DURATIONS: Duration[] = [5, 10];
export const DEFAULT_RATIO = '16:9';
export const DEFAULT_DURATION: Duration = 5;
export const TIERS: ModelTier[] = ['720p', '1080p', 'pro'];

/** Images each mode takes. */
export const MODE_IMAGES: Readonly<Record<ModelMode, 0 | 1 | 2>> = {
  text: 0,
  first_frame: 1,
  first_last_frame: 2,
  camera: 1,
};

type Def = Omit<ModelDefinition, 'durations' | 'ratios' | 'images' | 'documented' | 'kind'>;

function model(d: Def): ModelDefinition {
  const text = d.modes.includes('text');
  const images = Math.max(...d.modes.map((m) => MODE_IMAGES[m])) as 0 | 1 | 2;
  const kind: ModelKind = !text ? 'i2v' : images > 0 ? 'both' : 't2v';
  return { ...d, kind, images, durations: [...DURATIONS], ratios: text ? [...RATIOS] : [], documented: true };
}

export const MODEL_DEFINITIONS: readonly ModelDefinition[] = Object.freeze([
  model({
    reqKey: 'jimeng_t2v_v30',
    tier: '720p',
    modes: ['text'],
    label: '即梦 3.0 文生视频 720P',
    labelEn: 'Jimeng 3.0 text to video 720P',
    resolution: '720P',
  }),
  model({
    reqKey: 'jimeng_t2v_v30_1080p',
    tier: '1080p',
    modes: ['text'],
    label: '即梦 3.0 文生视频 1080P',
    labelEn: 'Jimeng 3.0 text to video 1080P',
    resolution: '1080P',
  }),
  model({
    reqKey: 'jimeng_ti2v_v30_pro',
    tier: 'pro',
    modes: ['text', 'first_frame'],
    label: '即梦 3.0 Pro 文生/图生视频',
    labelEn: 'Jimeng 3.0 Pro text/image to video',
    resolution: '1080P',
  }),
  model({
    reqKey: 'jimeng_i2v_first_v30',
    tier: '720p',
    modes: ['first_frame'],
    label: '即梦 3.0 图生视频（首帧）720P',
    labelEn: 'Jimeng 3.0 image to video (first frame) 720P',
    resolution: '720P',
  }),
  model({
    reqKey: 'jimeng_i2v_first_v30_1080',
    tier: '1080p',
    modes: ['first_frame'],
    label: '即梦 3.0 图生视频（首帧）1080P',
    labelEn: 'Jimeng 3.0 image to video (first frame) 1080P',
    resolution: '1080P',
  }),
  model({
    reqKey: 'jimeng_i2v_first_tail_v30',
    tier: '720p',
    modes: ['first_last_frame'],
    label: '即梦 3.0 图生视频（首尾帧）720P',
    labelEn: 'Jimeng 3.0 image to video (first + last frame) 720P',
    resolution: '720P',
  }),
  model({
    reqKey: 'jimeng_i2v_first_tail_v30_1080',
    tier: '1080p',
    modes: ['first_last_frame'],
    label: '即梦 3.0 图生视频（首尾帧）1080P',
    labelEn: 'Jimeng 3.0 image to video (first + last frame) 1080P',
    resolution: '1080P',
  }),
  model({
    reqKey: 'jimeng_i2v_recamera_v30',
    tier: '720p',
    modes: ['camera'],
    label: '即梦 3.0 运镜（图生视频）720P',
    labelEn: 'Jimeng 3.0 camera motion (image to video) 720P',
    resolution: '720P',
  }),
]);

export function isModelTier(value: string): value is ModelTier {
  return (TIERS as string[]).includes(value);
}

export function framesFor(duration: Duration): 121 | 241 {
  return duration === 10 ? 241 : 121;
}
