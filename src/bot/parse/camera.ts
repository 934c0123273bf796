import { CAMERA_TEMPLATES, type CameraTemplate } from '../../jimeng/camera-templates.js';
import { fold } from './text.js';

/** A camera template as a user types it: its id (`handheld`), Chinese name (`手持运镜`) or English name. */
export function findCameraTemplate(typed: string): CameraTemplate | undefined {
  const s = fold(typed)
    .trim()
    .replace(/[\s-]+/g, '_');
  return CAMERA_TEMPLATES.find(
    (t) => t.id === s || fold(t.zh) === fold(typed).trim() || fold(t.en).replace(/[\s-]+/g, '_') === s,
  );
}
