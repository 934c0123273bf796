/** Everything the fake Feishu holds, shared by its route handlers and the FakeFeishu class. */
import type { EventEmitter } from 'node:events';
import type { FakeEvents, StoredImage, StoredMessage, StoredPatch, StoredUpload } from './types.js';

export interface FeishuState {
  readonly appId: string;
  readonly tenantKey: string;
  readonly maxFileBytes: number;
  readonly messages: StoredMessage[];
  readonly patches: StoredPatch[];
  readonly uploads: StoredUpload[];
  readonly images: Map<string, StoredImage>;
  /** uuid → message id, for idempotent sends. */
  readonly byUuid: Map<string, string>;
  readonly events: EventEmitter<FakeEvents>;
}

export function findMessage(s: FeishuState, messageId: string): StoredMessage | undefined {
  return s.messages.find((m) => m.messageId === messageId);
}
