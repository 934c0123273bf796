import type { IncomingMessage } from 'node:http';
import { readBodyOrNull } from '../../util/read-body.js';
import { BadRequest } from './bad-request.js';

const MAX_JSON = 64 * 1024;

/** An `application/json` object body (≤ 64 KB), or the page's JSON error. */
export async function readJsonRequest(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    throw new BadRequest(415, 'BAD_CONTENT_TYPE', 'Content-Type 必须是 application/json');
  const body = await readBodyOrNull(req, MAX_JSON);
  if (!body) throw new BadRequest(413, 'BODY_TOO_LARGE', '请求体过大');
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequest(400, 'BAD_JSON', '请求体不是合法的 JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new BadRequest(400, 'BAD_JSON', '请求体必须是 JSON 对象');
  return v as Record<string, unknown>;
}
