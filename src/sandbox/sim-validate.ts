/** Moved to ./jimeng-sim/ (kept for old imports). */
export { checkImage, type ImageInfo, imageInfo, SIM_IMAGE_MAX_BYTES } from './jimeng-sim/image-info.js';
export {
  SIM_CAMERA_STRENGTHS,
  SIM_CAMERA_TEMPLATES,
  SIM_FRAMES,
  SIM_MODEL_RULES,
  SIM_PROMPT_MAX,
  SIM_RATIOS,
  SIM_SEED_MAX,
  type SimModelRule,
} from './jimeng-sim/model-rules.js';
export { validateGetResultBody } from './jimeng-sim/validate-get-result.js';
export { type SimSubmitBody, type SimValidation, validateSubmitBody } from './jimeng-sim/validate-submit.js';
