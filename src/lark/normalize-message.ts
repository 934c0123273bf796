import type { IncomingMessage, LarkEvent } from './types.js';

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** im.message.receive_v1 from a user → IncomingMessage; anything else (other events, bots) → null. */
export function normalizeMessage(evt: LarkEvent): IncomingMessage | null {
  if (evt?.header?.event_type !== 'im.message.receive_v1') return null;
  const event = obj(evt.event);
  const message = obj(event?.message);
  const sender = obj(event?.sender);
  if (!message || !sender) return null;
  const senderType = str(sender.sender_type) ?? '';
  if (senderType !== 'user') return null;
  const messageId = str(message.message_id);
  const chatId = str(message.chat_id);
  const senderOpenId = str(obj(sender.sender_id)?.open_id);
  if (!messageId || !chatId || !senderOpenId) return null;

  const messageType = str(message.message_type) ?? '';
  const content = parseContent(message.content);
  const { text, imageKeys } = extract(messageType, content);
  const mentions = Array.isArray(message.mentions)
    ? message.mentions.flatMap((m) => {
        const mo = obj(m);
        const key = str(mo?.key);
        if (!mo || !key) return [];
        return [{ key, openId: str(obj(mo.id)?.open_id) ?? '', name: str(mo.name) ?? '' }];
      })
    : [];

  const out: IncomingMessage = {
    messageId,
    chatId,
    chatType: str(message.chat_type) ?? '',
    senderOpenId,
    senderType,
    messageType,
    text,
    mentions,
    imageKeys,
    createTime: Number(message.create_time ?? evt.header.create_time) || 0,
    eventId: evt.header.event_id,
  };
  const threadId = str(message.thread_id);
  const rootId = str(message.root_id);
  const parentId = str(message.parent_id);
  if (threadId) out.threadId = threadId;
  if (rootId) out.rootId = rootId;
  if (parentId) out.parentId = parentId;
  return out;
}

function parseContent(content: unknown): Obj {
  if (typeof content === 'string') {
    try {
      return obj(JSON.parse(content)) ?? {};
    } catch {
      return {};
    }
  }
  return obj(content) ?? {};
}

function extract(type: string, content: Obj): { text: string; imageKeys: string[] } {
  if (type === 'text') return { text: str(content.text) ?? '', imageKeys: [] };
  if (type === 'image') {
    const key = str(content.image_key);
    return { text: '', imageKeys: key ? [key] : [] };
  }
  if (type === 'post') return extractPost(content);
  return { text: '', imageKeys: [] };
}

/**
 * Post content is `{title, content: [[...]]}` or that wrapped in a locale key (zh_cn, en_us, ...).
 * The title is left out: commands live in the body. Paragraphs are joined with newlines.
 */
function extractPost(content: Obj): { text: string; imageKeys: string[] } {
  let post: Obj | undefined = Array.isArray(content.content) ? content : undefined;
  if (!post) {
    for (const value of Object.values(content)) {
      const o = obj(value);
      if (o && Array.isArray(o.content)) {
        post = o;
        break;
      }
    }
  }
  if (!post) return { text: '', imageKeys: [] };
  const imageKeys: string[] = [];
  const lines: string[] = [];
  for (const paragraph of post.content as unknown[]) {
    if (!Array.isArray(paragraph)) continue;
    let line = '';
    for (const node of paragraph) {
      const n = obj(node);
      if (!n) continue;
      if (n.tag === 'text' || n.tag === 'a') line += str(n.text) ?? '';
      else if (n.tag === 'at') line += str(n.user_id) ?? (str(n.user_name) ? `@${n.user_name}` : '');
      else if (n.tag === 'img') {
        const key = str(n.image_key);
        if (key) imageKeys.push(key);
      } else if (n.tag === 'code_block' || n.tag === 'md') line += str(n.text) ?? '';
    }
    if (line.trim() !== '') lines.push(line);
  }
  return { text: lines.join('\n'), imageKeys };
}
