import type { Logger } from '../log.js';

export interface ChatNamesOptions {
  /** im.chat.get: the chat's name ('' when it has none). */
  lookup(chatId: string): Promise<string>;
  log: Logger;
  now(): number;
  /** How long a name is trusted. Default 1 h (chats are renamed rarely; /usage is read by admins). */
  ttlMs?: number;
  /** Names kept at most (oldest dropped). Default 1000. */
  max?: number;
}

/**
 * Chat names for admin views (`/usage`), looked up once per chat and kept for an hour. A failed lookup
 * (no permission, the bot removed from the chat) shows the chat id instead and is tried again after a
 * minute, so one bad chat neither breaks the view nor costs a Feishu call per row each time.
 */
export function chatNames(o: ChatNamesOptions): (chatId: string) => Promise<string> {
  const ttl = o.ttlMs ?? 3_600_000;
  const max = o.max ?? 1000;
  const cache = new Map<string, { name: string; until: number }>();
  return async (chatId) => {
    const now = o.now();
    const hit = cache.get(chatId);
    if (hit && hit.until > now) return hit.name;
    let name: string;
    let until: number;
    try {
      name = (await o.lookup(chatId)) || chatId;
      until = now + ttl;
    } catch (err) {
      o.log.warn({ err, chatId }, 'chat name unavailable (im.chat.get); showing the chat id');
      name = chatId;
      until = now + 60_000;
    }
    cache.delete(chatId);
    cache.set(chatId, { name, until });
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return name;
  };
}
