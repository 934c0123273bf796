import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, readBody } from '../util/read-body.js';

export { BodyTooLargeError };

/** Reads a request body into a Buffer, failing as soon as it exceeds `limit` bytes (see src/util/read-body.ts). */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return readBody(req, { limit, overLimit: 'reject' });
}
