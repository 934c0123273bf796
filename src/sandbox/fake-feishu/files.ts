/**
 * im.file.create, im.image.create (multipart) and im.messageResource.get, with the codes and messages of
 * their official error tables (234001 "Invalid request param.", 234006 "The file size exceed the max
 * value.", 234010 "File's size can't be 0.", 234003 "File not in message.", 234004 "App not in chat.").
 *
 * A `file` part without a filename: the official examples always send one, but no page says what the
 * service answers without it, so the fake refuses it (234001) only with `requireFileName`. The SDK's
 * `im.file.create({data: {file: <Buffer>}})` sends no filename; a `fs.ReadStream` gets one from its path.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { multipartBoundary, parseMultipart } from '../multipart.js';
import { FeishuApiError } from './feishu-api-error.js';
import type { FeishuState } from './feishu-state.js';
import { mustFind } from './messages.js';
import { appNotInChat } from './refusals.js';
import { RECALLED_CONTENT } from './to-api.js';
import type { StoredImage, StoredUpload } from './types.js';

export const IMAGE_LIMIT = 10 * 1024 * 1024;
const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'];

const hex = (n: number) => randomBytes(n).toString('hex');
const empty = () => new FeishuApiError(400, 234010, "File's size can't be 0.");
const tooBig = () => new FeishuApiError(400, 234006, 'The file size exceed the max value.');

function formFields(body: Buffer, req: IncomingMessage) {
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary) throw new FeishuApiError(400, 234001, 'Content-Type must be multipart/form-data');
  try {
    return new Map(parseMultipart(body, boundary).map((p) => [p.name, p]));
  } catch (e) {
    throw new FeishuApiError(400, 234001, `malformed multipart body: ${(e as Error).message}`);
  }
}

/** `body` is null when it was over the size limit. Returns the file_key. */
export function uploadFile(s: FeishuState, body: Buffer | null, req: IncomingMessage): string {
  if (!body) throw tooBig();
  const fields = formFields(body, req);
  const file = fields.get('file');
  const fileType = fields.get('file_type')?.data.toString('utf8') ?? '';
  const fileName = fields.get('file_name')?.data.toString('utf8') ?? '';
  const durationText = fields.get('duration')?.data.toString('utf8');
  if (!FILE_TYPES.includes(fileType))
    throw new FeishuApiError(400, 234001, 'Invalid request param: file_type');
  if (!fileName) throw new FeishuApiError(400, 234001, 'Invalid request param: file_name');
  if (!file || file.data.length === 0) throw empty();
  if (s.settings.requireFileName && !file.filename)
    throw new FeishuApiError(400, 234001, 'Invalid request param.');
  if (file.data.length > s.maxFileBytes) throw tooBig();
  const upload: StoredUpload = {
    fileKey: `file_v3_${hex(12)}`,
    fileType,
    fileName,
    bytes: Buffer.from(file.data),
    at: Date.now(),
  };
  if (durationText !== undefined) {
    const duration = Number(durationText);
    if (!Number.isInteger(duration) || duration < 0) {
      throw new FeishuApiError(400, 234001, 'Invalid request param: duration');
    }
    upload.duration = duration;
  }
  s.uploads.push(upload);
  s.events.emit('upload', upload);
  return upload.fileKey;
}

/** `body` is null when it was over the size limit. Returns the image_key. */
export function uploadImage(s: FeishuState, body: Buffer | null, req: IncomingMessage): string {
  if (!body) throw tooBig();
  const fields = formFields(body, req);
  const type = fields.get('image_type')?.data.toString('utf8');
  if (type !== 'message' && type !== 'avatar')
    throw new FeishuApiError(400, 234001, 'Invalid request param: image_type');
  const image = fields.get('image');
  if (!image || image.data.length === 0) throw empty();
  if (image.data.length > IMAGE_LIMIT) throw tooBig();
  const imageKey = `img_v3_${hex(12)}`;
  const stored: StoredImage = { imageKey, bytes: Buffer.from(image.data), source: 'upload', at: Date.now() };
  s.images.set(imageKey, stored);
  s.events.emit('image', stored);
  return imageKey;
}

/** The bytes of an image or file that belongs to a message. */
export function messageResource(s: FeishuState, messageId: string, key: string, type: string | null): Buffer {
  const msg = mustFind(s, messageId);
  if (!s.chats.ensure(msg.chatId, msg.chatType).botInChat) throw appNotInChat();
  if (type !== 'image' && type !== 'file')
    throw new FeishuApiError(400, 234001, 'type must be image or file');
  const notInMsg = () => new FeishuApiError(400, 234003, 'File not in message.');
  // A recalled message no longer holds its resources (unconfirmed: the page lists no code for it).
  if (!(msg.deleted ? RECALLED_CONTENT : msg.content).includes(key)) throw notInMsg();
  if (type === 'image') {
    const img = s.images.get(key);
    if (!img) throw notInMsg();
    return img.bytes;
  }
  const file = s.uploads.find((u) => u.fileKey === key);
  if (!file) throw notInMsg();
  return file.bytes;
}
