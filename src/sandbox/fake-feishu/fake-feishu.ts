/**
 * A fake Feishu Open API over real HTTP: what the Messenger calls, recorded for tests and the sandbox.
 * The state and the user-side actions (a user posts a message or an image) live here; the routes are in
 * dispatch.ts and its helpers.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Logger, silentLogger } from '../../log.js';
import { type FeishuState, findMessage } from './feishu-state.js';
import { type HandleDeps, handleRequest, send } from './handle-request.js';
import { TenantTokens } from './tenant-tokens.js';
import type {
  CallRecord,
  FakeEvents,
  FakeFeishuOptions,
  Fault,
  StoredImage,
  StoredMessage,
  StoredPatch,
  StoredUpload,
} from './types.js';

const hex = (n: number) => randomBytes(n).toString('hex');

export interface UserMessageInput {
  chatId: string;
  senderOpenId: string;
  msgType: string;
  content: object | string;
  chatType?: string;
  parentId?: string;
  rootId?: string;
  threadId?: string;
  mentions?: { key: string; openId: string; name: string }[];
  messageId?: string;
}

export class FakeFeishu extends EventEmitter<FakeEvents> {
  url = '';
  readonly messages: StoredMessage[] = [];
  readonly patches: StoredPatch[] = [];
  readonly uploads: StoredUpload[] = [];
  readonly images = new Map<string, StoredImage>();
  readonly calls: CallRecord[] = [];
  readonly faults: { next: Fault[] } = { next: [] };
  readonly botOpenId: string;
  readonly botName: string;
  readonly tenantKey: string;
  private readonly state: FeishuState;
  private readonly tokens: TenantTokens;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private readonly logger: Logger;

  constructor(private readonly opts: FakeFeishuOptions) {
    super();
    this.botOpenId = opts.botOpenId ?? `ou_bot${hex(14)}`;
    this.botName = opts.botName ?? '即梦视频助手';
    this.tenantKey = opts.tenantKey ?? 'fake_tenant';
    this.logger = opts.logger ?? silentLogger;
    this.tokens = new TenantTokens(opts.appId, opts.appSecret);
    this.state = {
      appId: opts.appId,
      tenantKey: this.tenantKey,
      maxFileBytes: opts.maxFileBytes ?? 30 * 1024 * 1024,
      messages: this.messages,
      patches: this.patches,
      uploads: this.uploads,
      images: this.images,
      byUuid: new Map(),
      events: this,
    };
    const deps: HandleDeps = {
      state: this.state,
      tokens: this.tokens,
      bot: { openId: this.botOpenId, name: this.botName },
      calls: this.calls,
      faults: this.faults,
    };
    this.server = createServer((req, res) => {
      handleRequest(deps, req, res).catch((e: unknown) => {
        this.logger.error({ err: e }, 'fake feishu: handler crashed');
        if (!res.headersSent) send(res, 500, { code: 1, msg: 'internal error' });
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    this.url = `http://${host}:${addr.port}`;
    return this;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /** A message a user sent (what the sandbox posts before building the event). Returns its id. */
  addUserMessage(input: UserMessageInput): string {
    const now = Date.now();
    const parent = input.parentId ? this.getStoredMessage(input.parentId) : undefined;
    const msg: StoredMessage = {
      messageId: input.messageId ?? `om_${hex(16)}`,
      chatId: input.chatId,
      chatType: input.chatType ?? 'group',
      msgType: input.msgType,
      content: typeof input.content === 'string' ? input.content : JSON.stringify(input.content),
      senderId: input.senderOpenId,
      senderType: 'user',
      createTime: now,
      updateTime: now,
      updated: false,
    };
    if (input.parentId) msg.parentId = input.parentId;
    const rootId = input.rootId ?? (parent ? (parent.rootId ?? parent.messageId) : undefined);
    if (rootId) msg.rootId = rootId;
    const threadId = input.threadId ?? parent?.threadId;
    if (threadId) msg.threadId = threadId;
    if (input.mentions) msg.mentions = input.mentions;
    this.messages.push(msg);
    this.emit('message', msg);
    return msg.messageId;
  }

  /** Stores image bytes as if a user had sent them; returns the image_key. */
  addImage(bytes: Uint8Array): string {
    const imageKey = `img_v3_${hex(12)}`;
    this.images.set(imageKey, { imageKey, bytes: Buffer.from(bytes), source: 'user', at: Date.now() });
    return imageKey;
  }

  /** A user's image message in a chat: stores the bytes and the message. */
  addImageMessage(input: { chatId: string; senderOpenId: string; bytes: Uint8Array; chatType?: string }): {
    messageId: string;
    imageKey: string;
  } {
    const imageKey = this.addImage(input.bytes);
    const messageId = this.addUserMessage({
      chatId: input.chatId,
      senderOpenId: input.senderOpenId,
      msgType: 'image',
      content: { image_key: imageKey },
      ...(input.chatType ? { chatType: input.chatType } : {}),
    });
    return { messageId, imageKey };
  }

  getStoredMessage(messageId: string): StoredMessage | undefined {
    return findMessage(this.state, messageId);
  }

  /** Messages the bot sent (oldest first), optionally only in one chat. */
  botMessages(chatId?: string): StoredMessage[] {
    return this.messages.filter(
      (m) => m.senderType === 'app' && (chatId === undefined || m.chatId === chatId),
    );
  }

  /** Forget every issued tenant token (the next im call gets 99991663). */
  revokeTokens(): void {
    this.tokens.revokeAll();
  }

  reset(): void {
    this.messages.length = 0;
    this.patches.length = 0;
    this.uploads.length = 0;
    this.calls.length = 0;
    this.faults.next.length = 0;
    this.images.clear();
    this.state.byUuid.clear();
  }
}

export function startFakeFeishu(opts: FakeFeishuOptions): Promise<FakeFeishu> {
  return new FakeFeishu(opts).listen();
}
