/**
 * The images of a submit: exactly one of `image_urls` (http(s) URLs) or `binary_data_base64` (JPEG/PNG
 * within the documented limits, decoded), as many as the req_key takes, and for first + last frame two
 * images of the same aspect ratio (checked when the bytes are sent; a URL's image is not fetched).
 */
import { checkImage, imageInfo, sameAspectRatio } from './image-info.js';
import type { SimModelRule } from './model-rules.js';
import { invalid, type SimValidation } from './validation.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function stringArray(v: unknown, field: string): SimValidation<string[]> {
  if (v === undefined || v === null) return { ok: true, value: [] };
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
    return invalid(`${field} must be an array of strings`);
  return { ok: true, value: v as string[] };
}

function checkUrl(u: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    return 'image_urls entry is not a URL';
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:'
    ? null
    : 'image_urls entry is not http(s)';
}

export function validateImages(
  body: Record<string, unknown>,
  reqKey: string,
  rule: SimModelRule,
): SimValidation<{ imageUrls: string[]; images: Buffer[] }> {
  const urls = stringArray(body.image_urls, 'image_urls');
  if (!urls.ok) return urls;
  const b64 = stringArray(body.binary_data_base64, 'binary_data_base64');
  if (!b64.ok) return b64;
  if (urls.value.length > 0 && b64.value.length > 0) {
    return invalid('image_urls and binary_data_base64 are mutually exclusive');
  }
  for (const u of urls.value) {
    const problem = checkUrl(u);
    if (problem) return invalid(problem);
  }
  const images: Buffer[] = [];
  for (const s of b64.value) {
    const compact = s.replace(/\s+/g, '');
    if (compact === '' || compact.length % 4 === 1 || !BASE64.test(compact)) {
      return invalid('binary_data_base64 entry is not base64');
    }
    const bytes = Buffer.from(compact, 'base64');
    const problem = checkImage(bytes);
    if (problem) return invalid(problem);
    images.push(bytes);
  }
  const count = urls.value.length + images.length;
  if (!rule.images.includes(count))
    return invalid(`${reqKey} takes ${rule.images.join(' or ')} image(s), got ${count}`);
  if (
    rule.sameRatio &&
    images.length === 2 &&
    !sameAspectRatio(imageInfo(images[0]!)!, imageInfo(images[1]!)!)
  ) {
    return invalid('the last frame must have the aspect ratio of the first frame');
  }
  return { ok: true, value: { imageUrls: urls.value, images } };
}
