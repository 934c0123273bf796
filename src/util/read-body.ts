import type { IncomingMessage } from 'node:http';

/** The request body was over the limit. `size` is what was seen (declared or read), in bytes. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(
    readonly limit: number,
    readonly size: number,
  ) {
    super(`body of ${size} bytes exceeds ${limit}`);
  }
}

export interface ReadBodyOptions {
  /** Largest body accepted, in bytes. */
  limit: number;
  /**
   * What to do past the limit:
   * - `reject` (default): fail at once (a declared Content-Length over the limit fails before reading) and
   *   stop reading; the caller should answer and close the connection.
   * - `drain`: keep reading (and discarding) to the end, then fail, so the server can still send a normal
   *   answer on a connection that stays usable.
   */
  overLimit?: 'reject' | 'drain';
}

/**
 * Reads a request body into one Buffer. Rejects with BodyTooLargeError past `limit` (see `overLimit`),
 * or with an Error when the request errors or is aborted before its end.
 */
export function readBody(req: IncomingMessage, opts: ReadBodyOptions): Promise<Buffer> {
  const { limit } = opts;
  const drain = opts.overLimit === 'drain';
  const declared = Number(req.headers['content-length']);
  if (!drain && Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new BodyTooLargeError(limit, declared));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0; // over the limit: nothing read so far is kept
      if (drain) return;
      cleanup();
      req.pause();
      reject(new BodyTooLargeError(limit, size));
    };
    const onEnd = () => {
      cleanup();
      if (size > limit) reject(new BodyTooLargeError(limit, size));
      else resolve(Buffer.concat(chunks, size));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onAborted = () => {
      cleanup();
      reject(new Error('request aborted'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** readBody with `drain`, answering `null` instead of throwing when the body is over `limit`. */
export async function readBodyOrNull(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  try {
    return await readBody(req, { limit, overLimit: 'drain' });
  } catch (e) {
    if (e instanceof BodyTooLargeError) return null;
    throw e;
  }
}
