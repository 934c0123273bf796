/** The documented image limits, checked before any upload: JPEG/PNG, ≤4.7 MB, sides 320–4096, long:short ≤3. */
import { validationError } from './errors.js';
import { type ImageInfo, imageInfo } from './image-info.js';

export const IMAGE_MAX_BYTES = Math.floor(4.7 * 1024 * 1024);
export const IMAGE_MIN_SIDE = 320;
export const IMAGE_MAX_SIDE = 4096;
export const IMAGE_MAX_ASPECT = 3;

/** Checks image bytes; `index` is the image's place in the request (0 = first frame). Returns its header. */
export function checkImageBytes(
  bytes: Uint8Array,
  index: number,
): ImageInfo & { width: number; height: number } {
  const info = imageInfo(bytes);
  if (info.format !== 'jpeg' && info.format !== 'png') {
    throw validationError(
      'IMAGE_FORMAT',
      `image ${index}: format ${info.format} not supported (JPEG/PNG only)`,
      {
        index,
        format: info.format,
        allowed: 'jpeg, png',
      },
    );
  }
  if (bytes.length > IMAGE_MAX_BYTES) {
    throw validationError(
      'IMAGE_TOO_LARGE',
      `image ${index} is ${bytes.length} bytes, max ${IMAGE_MAX_BYTES}`,
      {
        index,
        bytes: bytes.length,
        max: IMAGE_MAX_BYTES,
      },
    );
  }
  const { width, height } = info;
  if (!width || !height) {
    throw validationError('IMAGE_UNREADABLE', `image ${index}: could not read its dimensions`, {
      index,
      format: info.format,
    });
  }
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  if (short < IMAGE_MIN_SIDE || long > IMAGE_MAX_SIDE) {
    throw validationError(
      'IMAGE_DIMENSIONS',
      `image ${index} is ${width}x${height}: sides must be within ${IMAGE_MIN_SIDE}..${IMAGE_MAX_SIDE}`,
      { index, width, height, minSide: IMAGE_MIN_SIDE, maxSide: IMAGE_MAX_SIDE },
    );
  }
  if (long / short > IMAGE_MAX_ASPECT) {
    throw validationError(
      'IMAGE_ASPECT',
      `image ${index} is ${width}x${height}: long:short above ${IMAGE_MAX_ASPECT}`,
      {
        index,
        width,
        height,
        maxRatio: IMAGE_MAX_ASPECT,
      },
    );
  }
  return { ...info, width, height };
}

/** Only the scheme is checked: the service fetches the URL itself. */
export function checkImageUrl(url: string, index: number): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw validationError('IMAGE_URL', `image ${index}: url must be http(s)`, {
      index,
      url: url.slice(0, 200),
    });
  }
}
