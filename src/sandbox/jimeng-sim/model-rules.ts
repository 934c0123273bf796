/**
 * The req_keys the simulator serves and what each takes. Sources: the Volcengine Jimeng 3.0 video pages
 * (docs/85621/1792707 720P, 1798092 1080P, 1777001 Pro) and copies of their parameter tables found in
 * public repositories for the first+last frame and camera-motion keys (the official pages themselves are
 * not reachable from here). There is no `jimeng_t2v_v30_pro`: Pro text-to-video is jimeng_ti2v_v30_pro
 * without an image, and an unknown req_key is answered 50215 like any invalid input.
 */

/** How many images a req_key takes, and what else it checks. */
export interface SimModelRule {
  images: readonly number[];
  promptRequired: boolean;
  /** First + last frame: the two images must have the same aspect ratio ("尾帧图片需与首帧图片比例相同"). */
  sameRatio?: boolean;
  /** Camera-motion template: `template_id` required, `camera_strength` weak | medium | strong. */
  camera?: boolean;
}

export const SIM_MODEL_RULES: Readonly<Record<string, SimModelRule>> = {
  jimeng_t2v_v30: { images: [0], promptRequired: true },
  jimeng_t2v_v30_1080p: { images: [0], promptRequired: true },
  jimeng_ti2v_v30_pro: { images: [0, 1], promptRequired: true },
  jimeng_i2v_first_v30: { images: [1], promptRequired: true },
  jimeng_i2v_first_v30_1080: { images: [1], promptRequired: true },
  // The tables mark prompt 必选 for first + last frame and camera motion too.
  jimeng_i2v_first_tail_v30: { images: [2], promptRequired: true, sameRatio: true },
  jimeng_i2v_first_tail_v30_1080: { images: [2], promptRequired: true, sameRatio: true },
  jimeng_i2v_recamera_v30: { images: [1], promptRequired: true, camera: true },
};

export const SIM_RATIOS: readonly string[] = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];
export const SIM_FRAMES: readonly number[] = [121, 241];
export const SIM_PROMPT_MAX = 800;

/**
 * Seeds: -1 (random) or a non-negative integer. The tables only say `int` ("默认-1（随机）"); the simulator
 * reads that as a signed 32-bit int and rejects anything above 2^31−1 (unconfirmed against the service).
 */
export const SIM_SEED_MAX = 2 ** 31 - 1;

/** template_id values of jimeng_i2v_recamera_v30 (运镜模板). */
export const SIM_CAMERA_TEMPLATES: readonly string[] = [
  'hitchcock_dolly_in',
  'hitchcock_dolly_out',
  'robo_arm',
  'dynamic_orbit',
  'central_orbit',
  'crane_push',
  'quick_pull_back',
  'counterclockwise_swivel',
  'clockwise_swivel',
  'handheld',
  'rapid_push_pull',
];
export const SIM_CAMERA_STRENGTHS = ['weak', 'medium', 'strong'] as const;
export type SimCameraStrength = (typeof SIM_CAMERA_STRENGTHS)[number];
