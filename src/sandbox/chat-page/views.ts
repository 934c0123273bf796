import type { StoredMessage } from '../fake-feishu.js';
import type { JimengSimulator } from '../jimeng-simulator.js';
import { sandboxUser } from '../sandbox-users.js';
import type { ChatMessageView, KnobsView } from './types.js';

/** A stored message as the page shows it; `botName` names the app's messages. */
export function messageView(m: StoredMessage, botName: string): ChatMessageView {
  let content: unknown;
  try {
    content = JSON.parse(m.content);
  } catch {
    content = m.content;
  }
  const v: ChatMessageView = {
    id: m.messageId,
    msgType: m.msgType,
    content,
    sender: {
      type: m.senderType,
      id: m.senderId,
      name: m.senderType === 'app' ? botName : (sandboxUser(m.senderId)?.name ?? m.senderId),
    },
    createTime: m.createTime,
    updateTime: m.updateTime,
  };
  if (m.parentId) v.parentId = m.parentId;
  if (m.rootId) v.rootId = m.rootId;
  if (m.threadId) v.threadId = m.threadId;
  if (m.mentions?.length) v.mentions = m.mentions.map((x) => ({ key: x.key, name: x.name }));
  return v;
}

export function knobsView(jimeng: JimengSimulator, generationMs: number): KnobsView {
  return { generationMs, pendingFaults: [...jimeng.faults.next], failNextTasks: jimeng.faults.failNextTasks };
}
