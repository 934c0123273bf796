/**
 * One `Range: bytes=…` request header against a body of `size` bytes (what a <video> element or a
 * downloader sends): the inclusive span to answer with 206, `unsatisfiable` for 416, or `undefined` to
 * answer the whole body with 200 (no header, or one this parser does not handle, such as several ranges).
 */
export type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

export function parseByteRange(header: string | undefined, size: number): ByteRange {
  const m = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!m || (!m[1] && !m[2])) return undefined;
  let start: number;
  let end = size - 1;
  if (m[1]) {
    start = Number(m[1]);
    if (m[2]) end = Math.min(Number(m[2]), end);
  } else {
    start = Math.max(0, size - Number(m[2]));
  }
  return start <= end ? { start, end } : 'unsatisfiable';
}
