/**
 * The message routes: im.message.reply, im.message.create, im.message.patch, im.message.get and recall,
 * on the shared state. `uuid` makes reply/create idempotent (the same uuid answers the first message
 * again). Sends are refused in a chat without the bot (230002), to a recalled message (230011), and in a
 * thread where the chat or the message does not allow one (230071 / 230072); see refusals.ts.
 */
import { randomBytes } from 'node:crypto';
import { convertAtTags } from './at-mentions.js';
import { FeishuApiError } from './feishu-api-error.js';
import { type FeishuState, findMessage } from './feishu-state.js';
import { updateMulti, validateContent } from './message-content.js';
import { checkReply, recalled, requireBotIn } from './refusals.js';
import type { StoredMessage } from './types.js';

const hex = (n: number) => randomBytes(n).toString('hex');

export function mustFind(s: FeishuState, messageId: string): StoredMessage {
  const msg = findMessage(s, messageId);
  if (!msg) throw new FeishuApiError(400, 230001, 'The message id is invalid, record not found.');
  return msg;
}

function byIdempotency(s: FeishuState, uuid: unknown): StoredMessage | undefined {
  if (typeof uuid !== 'string' || uuid === '') return undefined;
  if (uuid.length > 50) throw new FeishuApiError(400, 230001, 'uuid longer than 50 characters');
  const id = s.byUuid.get(uuid);
  return id ? findMessage(s, id) : undefined;
}

/** A text message's `<at user_id>` tags become @_user_N keys and mentions (see at-mentions.ts). */
function withMentions(s: FeishuState, msgType: string, content: string) {
  if (msgType !== 'text') return { content, mentions: [] };
  const parsed = JSON.parse(content) as { text: string };
  const { text, mentions } = convertAtTags(parsed.text, (id) => s.nameOf(id));
  return mentions.length ? { content: JSON.stringify({ ...parsed, text }), mentions } : { content, mentions };
}

function storeBotMessage(
  s: FeishuState,
  chatId: string,
  chatType: string,
  msgType: string,
  content: string,
  uuid: unknown,
): StoredMessage {
  const now = Date.now();
  const stored = withMentions(s, msgType, content);
  const msg: StoredMessage = {
    messageId: `om_${hex(16)}`,
    chatId,
    chatType,
    msgType,
    content: stored.content,
    senderId: s.appId,
    senderType: 'app',
    createTime: now,
    updateTime: now,
    updated: false,
  };
  if (stored.mentions.length > 0) {
    msg.mentions = stored.mentions;
    msg.sentContent = content;
  }
  if (typeof uuid === 'string' && uuid !== '') {
    msg.uuid = uuid;
    s.byUuid.set(uuid, msg.messageId);
  }
  s.messages.push(msg);
  return msg;
}

export function reply(s: FeishuState, parentId: string, body: Record<string, unknown>): StoredMessage {
  const parent = mustFind(s, parentId);
  const inThread = body.reply_in_thread === true;
  checkReply(s.chats.ensure(parent.chatId, parent.chatType), parent, inThread);
  const existing = byIdempotency(s, body.uuid);
  if (existing) return existing;
  const { msgType, content } = validateContent(s, body.msg_type, body.content);
  let threadId = parent.threadId;
  if (inThread && !threadId) {
    threadId = `omt_${hex(8)}`;
    parent.threadId = threadId;
  }
  const msg = storeBotMessage(s, parent.chatId, parent.chatType, msgType, content, body.uuid);
  msg.parentId = parent.messageId;
  msg.rootId = parent.rootId ?? parent.messageId;
  if (threadId) msg.threadId = threadId;
  msg.replyInThread = inThread;
  s.events.emit('message', msg);
  return msg;
}

export function create(
  s: FeishuState,
  receiveIdType: string | null,
  body: Record<string, unknown>,
): StoredMessage {
  if (receiveIdType !== 'chat_id' && receiveIdType !== 'open_id') {
    throw new FeishuApiError(400, 230001, 'receive_id_type must be chat_id or open_id (fake)');
  }
  if (typeof body.receive_id !== 'string' || body.receive_id === '') {
    throw new FeishuApiError(400, 230001, 'receive_id is required');
  }
  const chatId = receiveIdType === 'chat_id' ? body.receive_id : `oc_p2p_${body.receive_id}`;
  const known = s.messages.find((m) => m.chatId === chatId);
  const chatType = known?.chatType ?? (receiveIdType === 'open_id' ? 'p2p' : 'group');
  requireBotIn(s.chats.ensure(chatId, chatType));
  const existing = byIdempotency(s, body.uuid);
  if (existing) return existing;
  const { msgType, content } = validateContent(s, body.msg_type, body.content);
  const msg = storeBotMessage(s, chatId, chatType, msgType, content, body.uuid);
  s.events.emit('message', msg);
  return msg;
}

export function patch(s: FeishuState, messageId: string, body: Record<string, unknown>): void {
  const msg = mustFind(s, messageId);
  // The patch page's error table has no 230002; the fake answers it anyway (unconfirmed).
  requireBotIn(s.chats.ensure(msg.chatId, msg.chatType));
  if (msg.deleted) throw recalled();
  if (msg.senderType !== 'app')
    throw new FeishuApiError(400, 230012, 'Bot is NOT the sender of the message.');
  if (msg.msgType !== 'interactive')
    throw new FeishuApiError(400, 230001, 'only interactive messages can be patched');
  const { content } = validateContent(s, 'interactive', body.content);
  if (!updateMulti(msg.content) || !updateMulti(content)) {
    throw new FeishuApiError(400, 230099, 'Failed to create card content: config.update_multi must be true');
  }
  const at = Date.now();
  msg.content = content;
  msg.updateTime = at;
  msg.updated = true;
  const p = { messageId, content, at };
  s.patches.push(p);
  s.events.emit('patch', { ...p, message: msg });
}

/**
 * A card callback was answered with `card: {type: 'raw', data}`: Feishu shows that card at once in place
 * of the clicked one (no im.message.patch call; the answer's card is not checked for update_multi).
 */
export function replaceCard(s: FeishuState, messageId: string, card: object): StoredMessage {
  const msg = mustFind(s, messageId);
  if (msg.senderType !== 'app' || msg.msgType !== 'interactive')
    throw new FeishuApiError(400, 230001, "only the bot's cards can be replaced by a callback answer");
  const { content } = validateContent(s, 'interactive', JSON.stringify(card));
  msg.content = content;
  msg.updateTime = Date.now();
  msg.updated = true;
  s.events.emit('update', msg);
  return msg;
}

/** im.message.get: the message, in a chat the bot is in (230002 otherwise). */
export function getMessage(s: FeishuState, messageId: string): StoredMessage {
  const msg = mustFind(s, messageId);
  requireBotIn(s.chats.ensure(msg.chatId, msg.chatType));
  return msg;
}

/** A user (or the bot) recalls a message. */
export function recallMessage(s: FeishuState, messageId: string): StoredMessage {
  const msg = mustFind(s, messageId);
  if (!msg.deleted) {
    msg.deleted = true;
    msg.updateTime = Date.now();
    s.events.emit('recall', msg);
  }
  return msg;
}
