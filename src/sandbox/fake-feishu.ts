/**
 * Fake Feishu Open API (tests, benchmarks, the sandbox). The parts live in ./fake-feishu/; this file is the
 * public entry.
 */
export type { AddChatInput, StoredChat } from './fake-feishu/chats.js';
export { FakeFeishu, startFakeFeishu } from './fake-feishu/fake-feishu.js';
export type {
  CallRecord,
  FakeFeishuOptions,
  Fault,
  FaultKind,
  FaultRoute,
  StoredImage,
  StoredMessage,
  StoredPatch,
  StoredUpload,
} from './fake-feishu/types.js';
export type { UserMessageInput } from './fake-feishu/user-actions.js';
