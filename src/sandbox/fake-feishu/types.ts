import type { Logger } from '../../log.js';

export interface FakeFeishuOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  appId: string;
  appSecret: string;
  botOpenId?: string;
  botName?: string;
  tenantKey?: string;
  /** im.file.create limit; default 30 MB like Feishu. */
  maxFileBytes?: number;
  /**
   * im.file.create refuses a `file` part without a filename (234001), as if only the official examples'
   * shape were accepted. Default false: the SDK sends a Buffer without one (see files.ts).
   */
  requireFileName?: boolean;
  /** Name of chats created on first sight (default '即梦测试群'). */
  defaultChatName?: string;
  /** Permission scopes the app lacks (routes needing only these answer 99991672; see scopes.ts). */
  deniedScopes?: readonly string[];
  /** Who is who, for the names of `<at user_id="…">` mentions (default: the sandbox users). */
  users?: readonly { openId: string; name: string }[];
  /**
   * Keep messages, patches, uploads and images in this folder (a JSON lines journal plus blobs, see
   * journal.ts) and load them at start: the sandbox chat survives a restart. Default: memory only.
   */
  persistDir?: string;
  logger?: Logger;
}

export interface StoredMessage {
  messageId: string;
  chatId: string;
  chatType: string;
  msgType: string;
  /** body.content as Feishu stores it: a JSON string (`<at user_id>` tags turned into @_user_N keys). */
  content: string;
  /** The content exactly as the bot sent it, when Feishu stored something else (mentions converted). */
  sentContent?: string;
  /** App id for bot messages, open_id for users. */
  senderId: string;
  senderType: 'app' | 'user';
  parentId?: string;
  rootId?: string;
  threadId?: string;
  uuid?: string;
  replyInThread?: boolean;
  mentions?: { key: string; openId: string; name: string }[];
  createTime: number;
  updateTime: number;
  updated: boolean;
  /** Recalled (撤回): replies answer 230011, im.message.get answers `deleted: true`. */
  deleted?: boolean;
  /** An aggregated message (合并转发 / merge_forward): no reply in a thread (230072). */
  aggregated?: boolean;
}

export interface StoredPatch {
  messageId: string;
  content: string;
  at: number;
}

export interface StoredUpload {
  fileKey: string;
  fileType: string;
  fileName: string;
  /** ms, as sent (undefined when not sent). */
  duration?: number;
  bytes: Buffer;
  at: number;
}

export interface StoredImage {
  imageKey: string;
  bytes: Buffer;
  source: 'user' | 'upload';
  at: number;
}

export type FaultRoute =
  | 'reply'
  | 'patch'
  | 'upload'
  | 'get'
  | 'resource'
  | 'create'
  | 'token'
  | 'image'
  | 'bot'
  | 'chat';
/**
 * '500' → HTTP 500 code 1; 'rate_limit' → 429 99991400; 'timeout' → never answered; 'code' → a business
 * refusal `{code, msg}` with `httpStatus` (default 200: "HTTP 200 but code ≠ 0", which the SDK hides).
 */
export type FaultKind = '500' | 'timeout' | 'rate_limit' | 'code';
export interface Fault {
  route: FaultRoute;
  kind: FaultKind;
  /** Perform the operation first, then fail the response (a lost answer: tests idempotency). */
  after?: boolean;
  /** For 'code': the business code (e.g. 234006), its msg and HTTP status. */
  code?: number;
  msg?: string;
  httpStatus?: number;
}

export interface CallRecord {
  method: string;
  path: string;
  route: FaultRoute | 'other';
  status: number;
  code: number;
  fault?: FaultKind;
  at: number;
}

export interface FakeEvents {
  message: [StoredMessage];
  patch: [StoredPatch & { message: StoredMessage }];
  upload: [StoredUpload];
  recall: [StoredMessage];
  /** Image bytes stored (a user's image, or im.image.create). */
  image: [StoredImage];
  /** A card replaced by a card callback's answer (`card: {type: 'raw', data}`), not by im.message.patch. */
  update: [StoredMessage];
}
