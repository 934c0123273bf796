import type { CardAction, ChatMessage } from './events.js';
import { contentParts, parseContent } from './message-content.js';

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

export type Delivery =
  | { type: 'message'; message: ChatMessage }
  | { type: 'cardAction'; action: CardAction }
  | { type: 'recalled'; messageId: string; chatId: string }
  | { type: 'other'; eventType: string; reason: string; ageMs?: number };

/** A decrypted, verified schema 2.0 delivery (`{schema, header, event}`) → what it means for the bot. */
export function decodeDelivery(body: Obj): Delivery {
  const header = obj(body.header) ?? {};
  const eventType = str(header.event_type) ?? '';
  const event = obj(body.event) ?? {};
  if (eventType === 'im.message.receive_v1') {
    const message = decodeMessage(header, event);
    return message
      ? { type: 'message', message }
      : { type: 'other', eventType, reason: 'not_a_user_message' };
  }
  if (eventType === 'card.action.trigger') {
    const action = decodeCardAction(header, event);
    return action
      ? { type: 'cardAction', action }
      : { type: 'other', eventType, reason: 'malformed_card_action' };
  }
  if (eventType === 'im.message.recalled_v1') {
    // event: { message_id, chat_id, recall_time, recall_type } (im.message.recalled_v1).
    const messageId = str(event.message_id);
    const chatId = str(event.chat_id);
    if (messageId && chatId) return { type: 'recalled', messageId, chatId };
    return { type: 'other', eventType, reason: 'malformed_recall' };
  }
  return { type: 'other', eventType, reason: 'unhandled_event_type' };
}

function decodeMessage(header: Obj, event: Obj): ChatMessage | null {
  const message = obj(event.message);
  const sender = obj(event.sender);
  if (!message || !sender || str(sender.sender_type) !== 'user') return null;
  const messageId = str(message.message_id);
  const chatId = str(message.chat_id);
  const senderOpenId = str(obj(sender.sender_id)?.open_id);
  if (!messageId || !chatId || !senderOpenId) return null;
  const messageType = str(message.message_type) ?? '';
  const { text, imageKeys } = contentParts(messageType, parseContent(message.content));
  const mentions = Array.isArray(message.mentions)
    ? message.mentions.flatMap((m) => {
        const mo = obj(m);
        const key = str(mo?.key);
        if (!mo || !key) return [];
        return [{ key, openId: str(obj(mo.id)?.open_id) ?? '', name: str(mo.name) ?? '' }];
      })
    : [];
  const out: ChatMessage = {
    messageId,
    chatId,
    chatType: str(message.chat_type) ?? '',
    senderOpenId,
    messageType,
    text,
    mentions,
    imageKeys,
    createTime: Number(message.create_time ?? header.create_time) || 0,
    eventId: str(header.event_id) ?? '',
  };
  const threadId = str(message.thread_id);
  const rootId = str(message.root_id);
  const parentId = str(message.parent_id);
  if (threadId) out.threadId = threadId;
  if (rootId) out.rootId = rootId;
  if (parentId) out.parentId = parentId;
  return out;
}

function decodeCardAction(header: Obj, event: Obj): CardAction | null {
  const operator = obj(event.operator);
  const action = obj(event.action);
  const context = obj(event.context);
  const operatorOpenId = str(operator?.open_id);
  const messageId = str(context?.open_message_id);
  const chatId = str(context?.open_chat_id);
  const eventId = str(header.event_id);
  if (!operatorOpenId || !action || !messageId || !chatId || !eventId) return null;
  // `value` is the button's object; older clients send it as a JSON string.
  const value = typeof action.value === 'string' ? parseContent(action.value) : (obj(action.value) ?? {});
  const out: CardAction = {
    eventId,
    operatorOpenId,
    value,
    messageId,
    chatId,
    createTime: toMs(header.create_time),
  };
  const formValue = obj(action.form_value);
  if (formValue) out.formValue = formValue;
  const tag = str(action.tag);
  const name = str(action.name);
  if (tag) out.tag = tag;
  if (name) out.name = name;
  return out;
}

/** Card callbacks carry microseconds in create_time (events carry milliseconds). */
function toMs(v: unknown): number {
  const n = Number(v) || 0;
  return n > 1e14 ? Math.floor(n / 1000) : n;
}
