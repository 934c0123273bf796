/**
 * The req_keys the simulator serves and what each takes. Sources: the Volcengine Jimeng 3.0 video pages
 * (docs/85621/1792707 720P, 1798092 1080P, 1777001 Pro) and copies of their parameter tables for the
 * first+last frame keys.
 */

/** How many images a req_key takes, and what else it checks. */
export interface SimModelRule {
  images: readonly number[];
  promptRequired: boolean;
}

export const SIM_MODEL_RULES: Readonly<Record<string, SimModelRule>> = {
  jimeng_t2v_v30: { images: [0], promptRequired: true },
  jimeng_t2v_v30_1080p: { images: [0], promptRequired: true },
  jimeng_t2v_v30_pro: { images: [0], promptRequired: true },
  jimeng_ti2v_v30_pro: { images: [0, 1], promptRequired: true },
  jimeng_i2v_first_v30: { images: [1], promptRequired: true },
  jimeng_i2v_first_v30_1080: { images: [1], promptRequired: true },
  // First + last frame: the two frames carry the content, so the prompt may be left out.
  jimeng_i2v_first_tail_v30: { images: [2], promptRequired: false },
  jimeng_i2v_first_tail_v30_1080: { images: [2], promptRequired: false },
};

export const SIM_RATIOS: readonly string[] = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];
export const SIM_FRAMES: readonly number[] = [121, 241];
export const SIM_PROMPT_MAX = 800;
