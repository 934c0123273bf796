// @ts-check
/** What the page knows: the chat's members, its messages, who the page speaks as, and the composer's state. */

/**
 * @typedef {{ openId: string, name: string, admin: boolean }} User
 * @typedef {{ type: 'app' | 'user', id: string, name: string }} Sender
 * @typedef {{
 *   id: string, msgType: string, content: any, sender: Sender, parentId?: string, rootId?: string,
 *   threadId?: string, mentions?: { key: string, name: string }[], createTime: number, updateTime: number
 * }} ChatMessage
 * @typedef {{ generationMs: number, pendingFaults: string[], failNextTasks: number }} Knobs
 * @typedef {{ seconds: number, width: number, height: number }} Clip
 * @typedef {{ chatId: string, bot: { name: string, openId: string }, users: User[],
 *   messages: ChatMessage[], knobs: Knobs, simulatorClip?: Clip }} Snapshot
 * @typedef {{ openId: string, name: string, bot?: boolean, admin?: boolean }} Member
 */

export const state = {
  /** @type {User[]} */ users: [],
  bot: { name: '即梦视频助手', openId: '' },
  /** @type {Map<string, ChatMessage>} */ messages: new Map(),
  /** @type {string} */ user: localStorage.getItem('sandbox.user') ?? '',
  /** @type {string | undefined} */ replyTo: undefined,
  /** @type {Clip | undefined} */ clip: undefined,
  /** Images waiting in the composer. @type {{ file: File, url: string }[]} */ attachments: [],
};

/** @param {string} openId */
export function nameOf(openId) {
  if (openId === state.bot.openId) return state.bot.name;
  return state.users.find((u) => u.openId === openId)?.name ?? openId;
}
