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
  logger?: Logger;
}

export interface StoredMessage {
  messageId: string;
  chatId: string;
  chatType: string;
  msgType: string;
  /** body.content as Feishu stores it: a JSON string. */
  content: string;
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
  | 'bot';
export type FaultKind = '500' | 'timeout' | 'rate_limit';
export interface Fault {
  route: FaultRoute;
  kind: FaultKind;
  /** Perform the operation first, then fail the response (a lost answer: tests idempotency). */
  after?: boolean;
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
}
