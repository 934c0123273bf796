/**
 * The finished videos: one real MP4 (a 2 s H.264 clip) served at `/videos/<task id>.mp4` for tasks that
 * are done and succeeded, until `videoTtlMs` after they finished (then 403, like an expired signed URL).
 * Supports HEAD and one `Range` (206/416).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseByteRange } from '../http/byte-range.js';
import type { TaskBook } from './tasks.js';

/** What the sample clip is (test/sandbox checks it against the file): the sandbox page says so. */
export const SAMPLE_CLIP = { seconds: 2, width: 320, height: 180 } as const;

/** The sample clip: next to this folder (src via tsx, or dist if assets are copied), else src. */
export async function loadVideo(videoPath?: string): Promise<Buffer> {
  const candidates = videoPath
    ? [videoPath]
    : [
        fileURLToPath(new URL('../assets/sample.mp4', import.meta.url)),
        fileURLToPath(new URL('../../../src/sandbox/assets/sample.mp4', import.meta.url)),
      ];
  for (const p of candidates) {
    try {
      return await readFile(p);
    } catch {
      // try the next one
    }
  }
  throw new Error(`jimeng simulator: sample video not found (looked in ${candidates.join(', ')})`);
}

export function serveVideo(
  req: IncomingMessage,
  res: ServerResponse,
  taskId: string,
  deps: { book: TaskBook; video: Buffer; videoTtlMs: number },
): void {
  const { book, video, videoTtlMs } = deps;
  const task = book.find(taskId);
  const status = task ? book.statusOf(task) : 'not_found';
  if (!task || status !== 'done' || task.outcome !== 'ok') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  if (Date.now() - (task.doneAt ?? task.createdAt) > videoTtlMs) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end('Request has expired');
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'video/mp4', 'accept-ranges': 'bytes' };
  const range = parseByteRange(req.headers.range, video.length);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'content-range': `bytes */${video.length}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: video.length - 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${video.length}`;
  headers['content-length'] = String(end - start + 1);
  res.writeHead(range ? 206 : 200, headers);
  res.end(req.method === 'HEAD' ? undefined : video.subarray(start, end + 1));
}
