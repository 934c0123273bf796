/** What a caller asks for, and the submit body it becomes. */
import type { CameraStrength } from './camera-templates.js';
import type { ModelInfo } from './model-catalog.js';
import type { Duration, ModelMode, ModelTier } from './model-definitions.js';

export type ImageInput = { url: string } | { bytes: Uint8Array };

export interface CameraMotion {
  /** A camera template id (camera-templates.ts). */
  template: string;
  /** Default 'medium'. */
  strength?: CameraStrength | string;
}

export interface VideoRequest {
  /** A tier ('720p' | '1080p' | 'pro') or an exact req_key. */
  model: ModelTier | string;
  /** Sent as written (newlines included); only surrounding whitespace is trimmed. */
  prompt: string;
  duration?: Duration;
  ratio?: string;
  /** -1 (default) = random, else an integer in [0, 2^31-1]. */
  seed?: number;
  /** The first frame (the same as `images.first`). */
  image?: ImageInput;
  /** First frame, and the last frame for first + last frame models. */
  images?: { first?: ImageInput; last?: ImageInput };
  /** Camera motion (jimeng_i2v_recamera_v30): one image plus a template. */
  camera?: CameraMotion;
}

/** The JSON body of CVSync2AsyncSubmitTask. */
export interface SubmitBody {
  req_key: string;
  prompt: string;
  seed: number;
  frames: 121 | 241;
  aspect_ratio?: string;
  /** First frame, then last frame. */
  image_urls?: string[];
  binary_data_base64?: string[];
  template_id?: string;
  camera_strength?: CameraStrength;
}

/** Something accepted but ignored or risky; a code and values, like errors. */
export interface JimengWarning {
  code: 'RATIO_IGNORED' | 'FRAME_RATIOS_DIFFER';
  details: Record<string, string | number>;
}

export interface ValidatedRequest {
  model: ModelInfo;
  mode: ModelMode;
  body: SubmitBody;
  duration: Duration;
  warnings: JimengWarning[];
}
