/**
 * A fake Feishu Open API over real HTTP: what the Messenger calls, recorded for tests and the sandbox.
 * The class holds the state and the test-side controls (users post, recall, chats change); the routes are
 * in dispatch.ts and its helpers.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Logger, silentLogger } from '../../log.js';
import { SANDBOX_USERS } from '../sandbox-users.js';
import { type AddChatInput, ChatRegistry, DEFAULT_CHAT_NAME, type StoredChat } from './chats.js';
import { type FeishuState, findMessage } from './feishu-state.js';
import { type HandleDeps, handleRequest, send } from './handle-request.js';
import { FeishuJournal } from './journal.js';
import { recallMessage, replaceCard } from './messages.js';
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
import { addUserImage, addUserMessage, type UserMessageInput } from './user-actions.js';

const hex = (n: number) => randomBytes(n).toString('hex');

export class FakeFeishu extends EventEmitter<FakeEvents> {
  url = '';
  readonly messages: StoredMessage[] = [];
  readonly patches: StoredPatch[] = [];
  readonly uploads: StoredUpload[] = [];
  readonly images = new Map<string, StoredImage>();
  readonly calls: CallRecord[] = [];
  readonly faults: { next: Fault[] } = { next: [] };
  /** Chats by id (created on first sight; see addChat). */
  readonly chats: Map<string, StoredChat>;
  /** Permission scopes the app lacks: routes that need only these answer 99991672 (mutable). */
  readonly deniedScopes: Set<string>;
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
    const registry = new ChatRegistry(opts.defaultChatName ?? DEFAULT_CHAT_NAME);
    this.chats = registry.chats;
    this.deniedScopes = new Set(opts.deniedScopes ?? []);
    const names = new Map((opts.users ?? SANDBOX_USERS).map((u) => [u.openId, u.name] as const));
    names.set(this.botOpenId, this.botName);
    this.state = {
      appId: opts.appId,
      tenantKey: this.tenantKey,
      maxFileBytes: opts.maxFileBytes ?? 30 * 1024 * 1024,
      messages: this.messages,
      patches: this.patches,
      uploads: this.uploads,
      images: this.images,
      chats: registry,
      byUuid: new Map(),
      deniedScopes: this.deniedScopes,
      settings: { requireFileName: opts.requireFileName ?? true },
      nameOf: (id) => names.get(id),
      events: this,
    };
    const deps: HandleDeps = {
      state: this.state,
      tokens: this.tokens,
      bot: { openId: this.botOpenId, name: this.botName },
      calls: this.calls,
      faults: this.faults,
    };
    if (opts.persistDir) {
      const loaded = new FeishuJournal(opts.persistDir, this.logger).open(this.state);
      this.logger.info({ dir: opts.persistDir, ...loaded }, 'fake feishu: chat history loaded');
    }
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
    return addUserMessage(this.state, input).messageId;
  }

  /** Stores image bytes as if a user had sent them; returns the image_key. */
  addImage(bytes: Uint8Array): string {
    return addUserImage(this.state, bytes);
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

  /** A card callback's answer carried a card: it replaces the clicked card at once (see replaceCard). */
  replaceCard(messageId: string, card: object): StoredMessage {
    return replaceCard(this.state, messageId, card);
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

  /**
   * Creates (or changes) a chat: e.g. `addChat({ chatId, threads: 'refused' })` for a group that answers
   * thread replies with 230071. Chats seen first in a message are ordinary groups named '即梦测试群'.
   */
  addChat(input: AddChatInput): StoredChat {
    return this.state.chats.add(input);
  }

  /** The bot is removed from a chat: sends there answer 230002, resources 234004, im.chat.get less. */
  removeBot(chatId: string): void {
    this.state.chats.add({ chatId, botInChat: false });
  }

  /** The bot is added back to a chat. */
  addBot(chatId: string): void {
    this.state.chats.add({ chatId, botInChat: true });
  }

  /** A message is recalled (撤回): replies to it answer 230011; im.message.get shows `deleted: true`. */
  recall(messageId: string): StoredMessage {
    return recallMessage(this.state, messageId);
  }

  /** Whether im.file.create refuses a file part without a filename (see files.ts). */
  get requireFileName(): boolean {
    return this.state.settings.requireFileName;
  }

  set requireFileName(on: boolean) {
    this.state.settings.requireFileName = on;
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
    this.state.chats.clear();
    this.state.byUuid.clear();
  }
}

export function startFakeFeishu(opts: FakeFeishuOptions): Promise<FakeFeishu> {
  return new FakeFeishu(opts).listen();
}
