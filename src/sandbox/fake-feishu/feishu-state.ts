/** Everything the fake Feishu holds, shared by its route handlers and the FakeFeishu class. */
import type { EventEmitter } from 'node:events';
import type { ChatRegistry } from './chats.js';
import type { FakeEvents, StoredImage, StoredMessage, StoredPatch, StoredUpload } from './types.js';

export interface FeishuState {
  readonly appId: string;
  readonly tenantKey: string;
  readonly maxFileBytes: number;
  readonly messages: StoredMessage[];
  readonly patches: StoredPatch[];
  readonly uploads: StoredUpload[];
  readonly images: Map<string, StoredImage>;
  readonly chats: ChatRegistry;
  /** uuid → message id, for idempotent sends. */
  readonly byUuid: Map<string, string>;
  /** Scopes the app lacks (mutable). */
  readonly deniedScopes: Set<string>;
  /** Mutable switches. */
  readonly settings: { requireFileName: boolean };
  /** Names for `<at>` mentions. */
  nameOf(openId: string): string | undefined;
  readonly events: EventEmitter<FakeEvents>;
}

export function findMessage(s: FeishuState, messageId: string): StoredMessage | undefined {
  return s.messages.find((m) => m.messageId === messageId);
}
