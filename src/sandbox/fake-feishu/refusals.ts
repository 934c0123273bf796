/**
 * The im.message refusals the fake answers, worded as in the error table of the official reply page
 * (https://open.feishu.cn/document/server-docs/im-v1/message/reply, HTTP 400 for all of them):
 * 230002 bot not in the chat, 230011 recalled, 230071 the chat refuses thread replies, 230072 aggregated
 * messages refuse thread replies. The resource page answers 234004 "App not in chat." instead of 230002
 * (https://open.feishu.cn/document/server-docs/im-v1/message/get-2).
 */
import type { StoredChat } from './chats.js';
import { FeishuApiError } from './feishu-api-error.js';
import type { StoredMessage } from './types.js';

export const botNotInChat = () => new FeishuApiError(400, 230002, 'The bot can not be outside the group.');
export const recalled = () => new FeishuApiError(400, 230011, 'The message is recalled.');
export const threadsRefused = () =>
  new FeishuApiError(400, 230071, 'The group to which the message belongs does not support reply in thread.');
export const aggregatedNoThread = () =>
  new FeishuApiError(400, 230072, 'Aggregated messages do not support reply in thread.');
export const appNotInChat = () => new FeishuApiError(400, 234004, 'App not in chat.');

/** Throws 230002 when the bot is no longer in the chat. */
export function requireBotIn(chat: StoredChat): void {
  if (!chat.botInChat) throw botNotInChat();
}

/** The refusals of a reply to `parent`, in the order the fake checks them. */
export function checkReply(chat: StoredChat, parent: StoredMessage, inThread: boolean): void {
  requireBotIn(chat);
  if (parent.deleted) throw recalled();
  if (!inThread) return;
  if (chat.threads === 'refused') throw threadsRefused();
  if (parent.aggregated || parent.msgType === 'merge_forward') throw aggregatedNoThread();
}
