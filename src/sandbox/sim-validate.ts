/**
 * Body validation for the Jimeng simulator: what the real service rejects with code 50215
 * ("Input invalid for this service."). Pure functions; the simulator turns a failure into the wire answer.
 */

/** How many images each req_key takes, and whether it needs a prompt. */
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
export const SIM_IMAGE_MAX_BYTES = Math.floor(4.7 * 1024 * 1024);

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

export interface ImageInfo {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Format and size of a PNG or JPEG from its header bytes; null for anything else or a truncated header. */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 24 && buf.subarray(0, 8).equals(PNG_MAGIC) && buf.toString('latin1', 12, 16) === 'IHDR') {
    return { format: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    let off = 2;
    while (off + 4 <= buf.length) {
      if (buf[off] !== 0xff) return null;
      const marker = buf[off + 1]!;
      if (marker === 0xff) {
        off += 1; // fill byte
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        off += 2;
        continue;
      }
      if (marker === 0xd9 || marker === 0xda) return null; // end of image / scan before any frame header
      if (JPEG_SOF.has(marker)) {
        if (off + 9 > buf.length) return null;
        return { format: 'jpeg', height: buf.readUInt16BE(off + 5), width: buf.readUInt16BE(off + 7) };
      }
      off += 2 + buf.readUInt16BE(off + 2);
    }
  }
  return null;
}

/** The documented image limits: JPEG/PNG, ≤4.7 MB, ≤4096 per side, shortest side ≥320, long:short ≤3. */
export function checkImage(bytes: Uint8Array): string | null {
  if (bytes.byteLength > SIM_IMAGE_MAX_BYTES) return `image larger than ${SIM_IMAGE_MAX_BYTES} bytes`;
  const info = imageInfo(bytes);
  if (!info) return 'image is neither PNG nor JPEG';
  const long = Math.max(info.width, info.height);
  const short = Math.min(info.width, info.height);
  if (long > 4096) return `image side ${long} > 4096`;
  if (short < 320) return `image shortest side ${short} < 320`;
  if (long / short > 3) return `image aspect ${info.width}x${info.height} beyond 3:1`;
  return null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
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

/** Validates a CVSync2AsyncGetResult body: `{req_key, task_id, req_json?}`. */
export function validateGetResultBody(body: unknown): SimValidation<{ reqKey: string; taskId: string }> {
  if (!isPlainObject(body)) return { ok: false, reason: 'body is not a JSON object' };
  const { req_key: reqKey, task_id: taskId, req_json: reqJson } = body;
  if (typeof reqKey !== 'string' || !Object.hasOwn(SIM_MODEL_RULES, reqKey)) {
    return { ok: false, reason: `unknown req_key ${JSON.stringify(reqKey)}` };
  }
  if (typeof taskId !== 'string' || taskId === '') return { ok: false, reason: 'task_id is required' };
  if (reqJson !== undefined) {
    if (typeof reqJson !== 'string') return { ok: false, reason: 'req_json must be a JSON string' };
    try {
      JSON.parse(reqJson);
    } catch {
      return { ok: false, reason: 'req_json is not valid JSON' };
    }
  }
  return { ok: true, value: { reqKey, taskId } };
}
