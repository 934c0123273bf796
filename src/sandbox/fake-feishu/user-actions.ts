/** What users do in the fake's chats: post a message, post an image. (The bot's side is messages.ts.) */
import { randomBytes } from 'node:crypto';
import { type FeishuState, findMessage } from './feishu-state.js';
import type { StoredImage, StoredMessage } from './types.js';

const hex = (n: number) => randomBytes(n).toString('hex');

export interface UserMessageInput {
  chatId: string;
  senderOpenId: string;
  msgType: string;
  content: object | string;
  chatType?: string;
  parentId?: string;
  rootId?: string;
  threadId?: string;
  mentions?: { key: string; openId: string; name: string }[];
  messageId?: string;
  /** An aggregated message (no reply in a thread: 230072); implied for msgType 'merge_forward'. */
  aggregated?: boolean;
}

export function addUserMessage(s: FeishuState, input: UserMessageInput): StoredMessage {
  const now = Date.now();
  const parent = input.parentId ? findMessage(s, input.parentId) : undefined;
  const chatType = input.chatType ?? 'group';
  s.chats.ensure(input.chatId, chatType);
  const msg: StoredMessage = {
    messageId: input.messageId ?? `om_${hex(16)}`,
    chatId: input.chatId,
    chatType,
    msgType: input.msgType,
    content: typeof input.content === 'string' ? input.content : JSON.stringify(input.content),
    senderId: input.senderOpenId,
    senderType: 'user',
    createTime: now,
    updateTime: now,
    updated: false,
  };
  if (input.parentId) msg.parentId = input.parentId;
  const rootId = input.rootId ?? (parent ? (parent.rootId ?? parent.messageId) : undefined);
  if (rootId) msg.rootId = rootId;
  const threadId = input.threadId ?? parent?.threadId;
  if (threadId) msg.threadId = threadId;
  if (input.mentions) msg.mentions = input.mentions;
  if (input.aggregated) msg.aggregated = true;
  s.messages.push(msg);
  s.events.emit('message', msg);
  return msg;
}

/** Stores image bytes as if a user had sent them; returns the image_key. */
export function addUserImage(s: FeishuState, bytes: Uint8Array): string {
  const imageKey = `img_v3_${hex(12)}`;
  const image: StoredImage = { imageKey, bytes: Buffer.from(bytes), source: 'user', at: Date.now() };
  s.images.set(imageKey, image);
  s.events.emit('image', image);
  return imageKey;
}
