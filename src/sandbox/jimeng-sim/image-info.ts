/** Image checks the service makes on binary_data_base64 entries (format and size from the header bytes). */

export const SIM_IMAGE_MAX_BYTES = Math.floor(4.7 * 1024 * 1024);

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

/**
 * "尾帧图片需与首帧图片比例相同": the last frame must have the first frame's aspect ratio. The docs give
 * no tolerance; the simulator allows 1% (the rounding of a resized frame).
 */
export function sameAspectRatio(a: ImageInfo, b: ImageInfo): boolean {
  const ra = a.width / a.height;
  const rb = b.width / b.height;
  return Math.abs(ra - rb) / ra <= 0.01;
}
