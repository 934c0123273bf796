/**
 * Submit-body validation: what the real service rejects with code 50215 ("Input invalid for this
 * service."). Pure; the simulator turns a failure into the wire answer. The rules per req_key are in
 * model-rules.ts, the image checks in validate-images.ts.
 */
import {
  SIM_CAMERA_STRENGTHS,
  SIM_CAMERA_TEMPLATES,
  SIM_MODEL_RULES,
  SIM_PROMPT_MAX,
  SIM_RATIOS,
  SIM_SEED_MAX,
  type SimCameraStrength,
  type SimModelRule,
} from './model-rules.js';
import { validateImages } from './validate-images.js';
import { invalid, isPlainObject, type SimValidation } from './validation.js';

export { isPlainObject, type SimValidation };

/** A submit body that passed validation, decoded. */
export interface SimSubmitBody {
  reqKey: string;
  prompt: string;
  frames: 121 | 241;
  /** -1 means random (the simulator picks one when the task is created). */
  seed: number;
  aspectRatio?: string;
  /** jimeng_i2v_recamera_v30: the camera-motion template and its strength (default medium). */
  templateId?: string;
  cameraStrength?: SimCameraStrength;
  imageUrls: string[];
  images: Buffer[];
}

export interface SubmitRules {
  /** Refuse jimeng_i2v_recamera_v30 without camera_strength (default: take it as medium). */
  requireCameraStrength?: boolean;
}

function validateCamera(
  body: Record<string, unknown>,
  rules: SubmitRules,
): SimValidation<{ templateId: string; cameraStrength: SimCameraStrength }> {
  const { template_id: templateId, camera_strength: strength } = body;
  if (typeof templateId !== 'string' || !SIM_CAMERA_TEMPLATES.includes(templateId)) {
    return invalid(`template_id ${JSON.stringify(templateId)} is not a camera-motion template`);
  }
  if (strength === undefined && !rules.requireCameraStrength) {
    return { ok: true, value: { templateId, cameraStrength: 'medium' } };
  }
  if (!SIM_CAMERA_STRENGTHS.includes(strength as SimCameraStrength)) {
    return invalid(`camera_strength ${JSON.stringify(strength)} is not weak, medium or strong`);
  }
  return { ok: true, value: { templateId, cameraStrength: strength as SimCameraStrength } };
}

function validateScalars(
  body: Record<string, unknown>,
  rule: SimModelRule,
): SimValidation<Pick<SimSubmitBody, 'prompt' | 'frames' | 'seed' | 'aspectRatio'>> {
  const rawPrompt = body.prompt;
  if (rawPrompt !== undefined && rawPrompt !== null && typeof rawPrompt !== 'string') {
    return invalid('prompt must be a string');
  }
  const prompt = typeof rawPrompt === 'string' ? rawPrompt : '';
  if (rule.promptRequired && prompt.trim() === '') return invalid('prompt is required');
  if ([...prompt].length > SIM_PROMPT_MAX) return invalid(`prompt longer than ${SIM_PROMPT_MAX}`);
  if (body.frames !== undefined && body.frames !== 121 && body.frames !== 241) {
    return invalid('frames must be 121 or 241');
  }
  const seed = body.seed === undefined ? -1 : body.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < -1 || seed > SIM_SEED_MAX) {
    return invalid(`seed must be -1 or an integer in [0, ${SIM_SEED_MAX}]`);
  }
  const value: Pick<SimSubmitBody, 'prompt' | 'frames' | 'seed' | 'aspectRatio'> = {
    prompt,
    frames: (body.frames as 121 | 241 | undefined) ?? 121,
    seed,
  };
  if (body.aspect_ratio !== undefined) {
    if (typeof body.aspect_ratio !== 'string' || !SIM_RATIOS.includes(body.aspect_ratio)) {
      return invalid(`aspect_ratio ${JSON.stringify(body.aspect_ratio)} not supported`);
    }
    value.aspectRatio = body.aspect_ratio;
  }
  return { ok: true, value };
}

/** Validates a CVSync2AsyncSubmitTask body the way the service does (and decodes its images). */
export function validateSubmitBody(body: unknown, rules: SubmitRules = {}): SimValidation<SimSubmitBody> {
  if (!isPlainObject(body)) return invalid('body is not a JSON object');
  const reqKey = body.req_key;
  if (typeof reqKey !== 'string' || !Object.hasOwn(SIM_MODEL_RULES, reqKey)) {
    return invalid(`unknown req_key ${JSON.stringify(reqKey)}`);
  }
  const rule = SIM_MODEL_RULES[reqKey]!;
  const scalars = validateScalars(body, rule);
  if (!scalars.ok) return scalars;
  const camera = rule.camera ? validateCamera(body, rules) : undefined;
  if (camera && !camera.ok) return camera;
  const images = validateImages(body, reqKey, rule);
  if (!images.ok) return images;
  return { ok: true, value: { reqKey, ...scalars.value, ...camera?.value, ...images.value } };
}
