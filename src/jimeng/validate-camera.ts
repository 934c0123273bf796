/** The camera part of a recamera request: a known template id and strength (default medium). */
import {
  CAMERA_STRENGTHS,
  CAMERA_TEMPLATES,
  type CameraStrength,
  DEFAULT_CAMERA_STRENGTH,
  isCameraStrength,
  isCameraTemplateId,
} from './camera-templates.js';
import { validationError } from './errors.js';
import type { CameraMotion } from './video-request.js';

export function checkCamera(camera: CameraMotion): { template_id: string; camera_strength: CameraStrength } {
  const template = String(camera.template ?? '').trim();
  if (!isCameraTemplateId(template)) {
    throw validationError('BAD_CAMERA_TEMPLATE', `camera template ${JSON.stringify(template)} unknown`, {
      value: template,
      allowed: CAMERA_TEMPLATES.map((t) => t.id).join(', '),
    });
  }
  const strength = String(camera.strength ?? DEFAULT_CAMERA_STRENGTH).trim();
  if (!isCameraStrength(strength)) {
    throw validationError('BAD_CAMERA_STRENGTH', `camera strength ${JSON.stringify(strength)} unknown`, {
      value: strength,
      allowed: CAMERA_STRENGTHS.join(', '),
    });
  }
  return { template_id: template, camera_strength: strength };
}
