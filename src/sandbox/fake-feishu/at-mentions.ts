/**
 * What Feishu does with `<at user_id="ou_…">Tom</at>` in a text message it is asked to send: the stored
 * text carries a key (`@_user_1`, `@_user_2`, … in order) and the message gets a `mentions` entry
 * {key, id, name}; the reply/create answer shows the stored form, e.g.
 * `"content": "{\"text\":\"@_user_1 test content\"}"` with `mentions: [{key: "@_user_1", id: "ou_…",
 * name: "Tom"}]` (response example of https://open.feishu.cn/document/server-docs/im-v1/message/reply).
 * The name is the tag's text, else the user's name from the directory, else the id.
 */
import type { StoredMessage } from './types.js';

type Mention = NonNullable<StoredMessage['mentions']>[number];

const AT_TAG = /<at\s+(?:user_id|id|open_id)\s*=\s*"?([^"\s>]+)"?\s*>([^<]*)<\/at>/g;

export function convertAtTags(
  text: string,
  nameOf: (openId: string) => string | undefined,
): { text: string; mentions: Mention[] } {
  const mentions: Mention[] = [];
  const out = text.replace(AT_TAG, (_tag, id: string, inner: string) => {
    const key = `@_user_${mentions.length + 1}`;
    const name = inner.trim() || nameOf(id) || (id === 'all' ? '所有人' : id);
    mentions.push({ key, openId: id, name });
    return key;
  });
  return { text: out, mentions };
}
