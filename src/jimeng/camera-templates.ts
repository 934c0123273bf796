/**
 * Camera-motion templates of jimeng_i2v_recamera_v30 (即梦 3.0 运镜, 720P): the submit body takes
 * `template_id` (one of these ids) and `camera_strength` (weak | medium | strong) besides the one image.
 * Field names and ids as published for the 运镜 API and used by public clients, e.g. docs.crazyrouter.com/video/jimeng
 * ("template_id … 单图 recamera 模板, 如 handheld; camera_strength … weak、medium、strong") and the 即梦 3.0
 * 720P 图生视频-运镜 option lists (希区柯克推进 hitchcock_dolly_in … 快速推拉 rapid_push_pull) in public
 * integrations; see also docs-model.skyengine.com.cn (jimeng_i2v_recamera_v30 = 运镜).
 */

export interface CameraTemplate {
  id: string;
  /** The name Jimeng uses. */
  zh: string;
  en: string;
}

export const CAMERA_TEMPLATES = [
  { id: 'hitchcock_dolly_in', zh: '希区柯克推进', en: 'Hitchcock dolly in' },
  { id: 'hitchcock_dolly_out', zh: '希区柯克拉远', en: 'Hitchcock dolly out' },
  { id: 'robo_arm', zh: '机械臂', en: 'Robotic arm' },
  { id: 'dynamic_orbit', zh: '动感环绕', en: 'Dynamic orbit' },
  { id: 'central_orbit', zh: '中心环绕', en: 'Central orbit' },
  { id: 'crane_push', zh: '起重机', en: 'Crane' },
  { id: 'quick_pull_back', zh: '超级拉远', en: 'Quick pull back' },
  { id: 'counterclockwise_swivel', zh: '逆时针回旋', en: 'Counterclockwise swivel' },
  { id: 'clockwise_swivel', zh: '顺时针回旋', en: 'Clockwise swivel' },
  { id: 'handheld', zh: '手持运镜', en: 'Handheld' },
  { id: 'rapid_push_pull', zh: '快速推拉', en: 'Rapid push-pull' },
] as const satisfies readonly CameraTemplate[];

export type CameraTemplateId = (typeof CAMERA_TEMPLATES)[number]['id'];

export const CAMERA_STRENGTHS = ['weak', 'medium', 'strong'] as const;
export type CameraStrength = (typeof CAMERA_STRENGTHS)[number];
export const DEFAULT_CAMERA_STRENGTH: CameraStrength = 'medium';

export function getCameraTemplate(id: string): CameraTemplate | undefined {
  return CAMERA_TEMPLATES.find((t) => t.id === id);
}

export function isCameraTemplateId(id: string): id is CameraTemplateId {
  return getCameraTemplate(id) !== undefined;
}

export function isCameraStrength(value: string): value is CameraStrength {
  return (CAMERA_STRENGTHS as readonly string[]).includes(value);
}
