import { createHash } from 'node:crypto';

/**
 * The `uuid` of a send: its source (the Feishu message_id or callback id it answers) plus its purpose,
 * so it is unique across deployments and store resets, and the same for a retried or resumed send
 * (Feishu makes one message per uuid within an hour). At most 50 characters, as Feishu requires.
 */
export function idempotencyKey(source: string, purpose: string): string {
  const key = `${source}-${purpose}`;
  if (key.length <= 50) return key;
  const room = Math.max(8, 49 - purpose.length);
  return `${createHash('sha256').update(source).digest('hex').slice(0, room)}-${purpose}`.slice(0, 50);
}
