/** Checks `msg_type` + `content` the way the send endpoints do (230001 invalid, 230025 too long). */
import { FeishuApiError } from './feishu-api-error.js';
import type { FeishuState } from './feishu-state.js';

const MSG_TYPES = new Set([
  'text',
  'post',
  'image',
  'file',
  'audio',
  'media',
  'sticker',
  'interactive',
  'share_chat',
  'share_user',
]);
const CARD_LIMIT = 30 * 1024;
const TEXT_LIMIT = 150 * 1024;

const tooLong = () => new FeishuApiError(400, 230025, 'The length of the message content reaches its limit.');

export function validateContent(
  s: FeishuState,
  msgType: unknown,
  content: unknown,
): { msgType: string; content: string } {
  if (typeof msgType !== 'string' || !MSG_TYPES.has(msgType)) {
    throw new FeishuApiError(400, 230001, `invalid msg_type: ${String(msgType)}`);
  }
  if (typeof content !== 'string') throw new FeishuApiError(400, 230001, 'content must be a JSON string');
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(content) as Record<string, unknown>;
  } catch {
    throw new FeishuApiError(400, 230001, 'content is not valid JSON');
  }
  const size = Buffer.byteLength(content);
  if (msgType === 'text') {
    if (typeof parsed.text !== 'string') throw new FeishuApiError(400, 230001, 'text content needs "text"');
    if (size > TEXT_LIMIT) throw tooLong();
  }
  if ((msgType === 'interactive' || msgType === 'post') && size > CARD_LIMIT) throw tooLong();
  if (msgType === 'media' || msgType === 'file') {
    const fileKey = parsed.file_key;
    if (typeof fileKey !== 'string' || !s.uploads.some((u) => u.fileKey === fileKey)) {
      throw new FeishuApiError(400, 230001, 'invalid file_key');
    }
    if (parsed.image_key !== undefined && !s.images.has(String(parsed.image_key))) {
      throw new FeishuApiError(400, 230001, 'invalid image_key');
    }
  }
  if (msgType === 'image' && !s.images.has(String(parsed.image_key))) {
    throw new FeishuApiError(400, 230001, 'invalid image_key');
  }
  return { msgType, content };
}

/** True if the card JSON declares config.update_multi (a shared card that im.message.patch may update). */
export function updateMulti(cardJson: string): boolean {
  try {
    const card = JSON.parse(cardJson) as { config?: { update_multi?: unknown } };
    return card.config?.update_multi === true;
  } catch {
    return false;
  }
}
