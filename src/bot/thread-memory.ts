import type { ThreadMemory } from '../lark/messenger.js';
import type { StorePort } from '../store/port.js';

/** The chats that refuse thread replies, remembered in the store (cached here once known). */
export function storeThreadMemory(store: StorePort): ThreadMemory {
  const known = new Set<string>();
  return {
    async refused(chatId) {
      if (known.has(chatId)) return true;
      const refused = (await store.chatFacts(chatId)).threadsRefused === true;
      if (refused) known.add(chatId);
      return refused;
    },
    async markRefused(chatId) {
      known.add(chatId);
      await store.setChatFacts(chatId, { ...(await store.chatFacts(chatId)), threadsRefused: true });
    },
  };
}
