import type { IncomingMessage } from 'node:http';
import { readBodyOrNull } from '../../util/read-body.js';
import { FeishuApiError } from './feishu-api-error.js';

const JSON_LIMIT = 1024 * 1024;

/** A JSON object request body (an empty body is `{}`), or the error the Open API gives. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBodyOrNull(req, JSON_LIMIT);
  if (!body) throw new FeishuApiError(400, 230025, 'request body too large');
  try {
    const v: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new FeishuApiError(400, 9499, 'Bad Request: body is not a JSON object');
  }
}
