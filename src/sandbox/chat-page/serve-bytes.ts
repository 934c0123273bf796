import type { Context } from 'koa';
import { parseByteRange } from '../http/byte-range.js';

/** 200 with the whole body, or 206 for one `bytes=` range (what <video> asks for when seeking). */
export function serveBytes(ctx: Context, bytes: Buffer): void {
  const size = bytes.length;
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Cache-Control', 'private, max-age=3600');
  const range = parseByteRange(ctx.get('range') || undefined, size);
  if (range === undefined) {
    ctx.body = bytes;
    return;
  }
  if (range === 'unsatisfiable') {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${size}`);
    ctx.body = '';
    return;
  }
  ctx.status = 206;
  ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  ctx.body = bytes.subarray(range.start, range.end + 1);
}

export function imageType(bytes: Buffer): 'image/png' | 'image/jpeg' | undefined {
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}
