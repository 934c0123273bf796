/**
 * Submit-body validation: what the real service rejects with code 50215 ("Input invalid for this
 * service."). Pure; the simulator turns a failure into the wire answer.
 */
import { checkImage } from './image-info.js';
import { SIM_MODEL_RULES, SIM_PROMPT_MAX, SIM_RATIOS } from './model-rules.js';

/** A submit body that passed validation, decoded. */
export interface SimSubmitBody {
  reqKey: string;
  prompt: string;
  frames: 121 | 241;
  /** -1 means random (the simulator picks one when the task is created). */
  seed: number;
  aspectRatio?: string;
  imageUrls: string[];
  images: Buffer[];
}

export type SimValidation<T> = { ok: true; value: T } | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringArray(v: unknown, field: string): SimValidation<string[]> {
  if (v === undefined || v === null) return { ok: true, value: [] };
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    return { ok: false, reason: `${field} must be an array of strings` };
  }
  return { ok: true, value: v as string[] };
}

/** Validates a CVSync2AsyncSubmitTask body the way the service does (and decodes its images). */
export function validateSubmitBody(body: unknown): SimValidation<SimSubmitBody> {
  if (!isPlainObject(body)) return { ok: false, reason: 'body is not a JSON object' };
  const reqKey = body.req_key;
  if (typeof reqKey !== 'string' || !Object.hasOwn(SIM_MODEL_RULES, reqKey)) {
    return { ok: false, reason: `unknown req_key ${JSON.stringify(reqKey)}` };
  }
  const rule = SIM_MODEL_RULES[reqKey]!;

  const rawPrompt = body.prompt;
  if (rawPrompt !== undefined && rawPrompt !== null && typeof rawPrompt !== 'string') {
    return { ok: false, reason: 'prompt must be a string' };
  }
  const prompt = typeof rawPrompt === 'string' ? rawPrompt : '';
  if (rule.promptRequired && prompt.trim() === '') return { ok: false, reason: 'prompt is required' };
  if ([...prompt].length > SIM_PROMPT_MAX)
    return { ok: false, reason: `prompt longer than ${SIM_PROMPT_MAX}` };

  let frames: 121 | 241 = 121;
  if (body.frames !== undefined) {
    if (body.frames !== 121 && body.frames !== 241) return { ok: false, reason: 'frames must be 121 or 241' };
    frames = body.frames;
  }

  let seed = -1;
  if (body.seed !== undefined) {
    if (typeof body.seed !== 'number' || !Number.isSafeInteger(body.seed) || body.seed < -1) {
      return { ok: false, reason: 'seed must be an integer ≥ -1' };
    }
    seed = body.seed;
  }

  let aspectRatio: string | undefined;
  if (body.aspect_ratio !== undefined) {
    if (typeof body.aspect_ratio !== 'string' || !SIM_RATIOS.includes(body.aspect_ratio)) {
      return { ok: false, reason: `aspect_ratio ${JSON.stringify(body.aspect_ratio)} not supported` };
    }
    aspectRatio = body.aspect_ratio;
  }

  const urls = stringArray(body.image_urls, 'image_urls');
  if (!urls.ok) return urls;
  const b64 = stringArray(body.binary_data_base64, 'binary_data_base64');
  if (!b64.ok) return b64;
  if (urls.value.length > 0 && b64.value.length > 0) {
    return { ok: false, reason: 'image_urls and binary_data_base64 are mutually exclusive' };
  }
  for (const u of urls.value) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return { ok: false, reason: 'image_urls entry is not a URL' };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { ok: false, reason: 'image_urls entry is not http(s)' };
    }
  }
  const images: Buffer[] = [];
  for (const s of b64.value) {
    const compact = s.replace(/\s+/g, '');
    if (compact === '' || compact.length % 4 === 1 || !BASE64.test(compact)) {
      return { ok: false, reason: 'binary_data_base64 entry is not base64' };
    }
    const bytes = Buffer.from(compact, 'base64');
    const problem = checkImage(bytes);
    if (problem) return { ok: false, reason: problem };
    images.push(bytes);
  }
  const count = urls.value.length + images.length;
  if (!rule.images.includes(count)) {
    return { ok: false, reason: `${reqKey} takes ${rule.images.join(' or ')} image(s), got ${count}` };
  }

  const value: SimSubmitBody = { reqKey, prompt, frames, seed, imageUrls: urls.value, images };
  if (aspectRatio !== undefined) value.aspectRatio = aspectRatio;
  return { ok: true, value };
}
