import type { StoredMessage } from './types.js';

/**
 * What im.message.get shows of a recalled message: `deleted: true` (documented: "消息是否被撤回或删除") and
 * this text as body.content, not JSON (as reported by public clients that list recalled messages; not
 * in the official pages).
 */
export const RECALLED_CONTENT = 'This message was recalled';

/** A message in the Open API's shape (the `data` of reply/create, an `items` entry of get). */
export function toApi(m: StoredMessage, tenantKey: string): Record<string, unknown> {
  return {
    message_id: m.messageId,
    root_id: m.rootId ?? '',
    parent_id: m.parentId ?? '',
    thread_id: m.threadId ?? '',
    msg_type: m.msgType,
    create_time: String(m.createTime),
    update_time: String(m.updateTime),
    deleted: m.deleted === true,
    updated: m.updated,
    chat_id: m.chatId,
    sender: {
      id: m.senderId,
      id_type: m.senderType === 'app' ? 'app_id' : 'open_id',
      sender_type: m.senderType,
      tenant_key: tenantKey,
    },
    body: { content: m.deleted ? RECALLED_CONTENT : m.content },
    mentions: (m.deleted ? [] : (m.mentions ?? [])).map((x) => ({
      key: x.key,
      id: x.openId,
      id_type: 'open_id',
      name: x.name,
    })),
  };
}
