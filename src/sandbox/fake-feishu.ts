import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Logger, silentLogger } from '../log.js';
import { multipartBoundary, parseMultipart } from './multipart.js';

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

interface FakeEvents {
  message: [StoredMessage];
  patch: [StoredPatch & { message: StoredMessage }];
  upload: [StoredUpload];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

const MSG_TYPES = new Set([
  'text',
  'post',
  'image',
  'file',
  'audio',
  'media',
  'sticker',
  'interactive',
  'share_chat',
  'share_user',
]);
const CARD_LIMIT = 30 * 1024;
const TEXT_LIMIT = 150 * 1024;
const IMAGE_LIMIT = 10 * 1024 * 1024;

const hex = (n: number) => randomBytes(n).toString('hex');

/** A fake Feishu Open API over real HTTP: what the Messenger calls, recorded for tests and the sandbox. */
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
  private readonly tokens = new Set<string>();
  private readonly byUuid = new Map<string, string>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private readonly logger: Logger;
  private readonly maxFileBytes: number;

  constructor(private readonly opts: FakeFeishuOptions) {
    super();
    this.botOpenId = opts.botOpenId ?? `ou_bot${hex(14)}`;
    this.botName = opts.botName ?? '即梦视频助手';
    this.tenantKey = opts.tenantKey ?? 'fake_tenant';
    this.logger = opts.logger ?? silentLogger;
    this.maxFileBytes = opts.maxFileBytes ?? 30 * 1024 * 1024;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        this.logger.error({ err: e }, 'fake feishu: handler crashed');
        if (!res.headersSent) this.send(res, 500, { code: 1, msg: 'internal error' });
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
  addUserMessage(input: {
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
  }): string {
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
    return this.messages.find((m) => m.messageId === messageId);
  }

  /** Messages the bot sent (oldest first), optionally only in one chat. */
  botMessages(chatId?: string): StoredMessage[] {
    return this.messages.filter(
      (m) => m.senderType === 'app' && (chatId === undefined || m.chatId === chatId),
    );
  }

  /** Forget every issued tenant token (the next im call gets 99991663). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  reset(): void {
    this.messages.length = 0;
    this.patches.length = 0;
    this.uploads.length = 0;
    this.calls.length = 0;
    this.faults.next.length = 0;
    this.images.clear();
    this.byUuid.clear();
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const path = u.pathname;
    const route = routeOf(method, path);
    const call: CallRecord = { method, path, route, status: 0, code: 0, at: Date.now() };
    this.calls.push(call);
    const respond = (status: number, body: Record<string, unknown> | Buffer, contentType?: string) => {
      call.status = status;
      call.code = Buffer.isBuffer(body) ? 0 : typeof body.code === 'number' ? body.code : 0;
      this.send(res, status, body, contentType);
    };

    const fault = route === 'other' ? undefined : this.takeFault(route);
    if (fault) call.fault = fault.kind;
    if (fault && !fault.after) {
      req.resume();
      this.applyFault(fault, respond);
      return;
    }
    let result: { status: number; body: Record<string, unknown> | Buffer; contentType?: string };
    try {
      result = await this.dispatch(route, method, path, u, req);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      result = { status: e.status, body: { code: e.code, msg: e.message } };
    }
    if (fault) {
      this.applyFault(fault, respond);
      return;
    }
    respond(result.status, result.body, result.contentType);
  }

  private applyFault(fault: Fault, respond: (status: number, body: Record<string, unknown>) => void): void {
    if (fault.kind === 'timeout') return; // never answer; the client gives up
    if (fault.kind === 'rate_limit') {
      respond(429, { code: 99991400, msg: 'request trigger frequency limit' });
      return;
    }
    respond(500, { code: 1, msg: 'internal server error (injected fault)' });
  }

  private takeFault(route: FaultRoute): Fault | undefined {
    const i = this.faults.next.findIndex((f) => f.route === route);
    if (i < 0) return undefined;
    return this.faults.next.splice(i, 1)[0];
  }

  private send(
    res: ServerResponse,
    status: number,
    body: Record<string, unknown> | Buffer,
    contentType?: string,
  ) {
    if (res.headersSent || res.destroyed) return;
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      'Content-Type': contentType ?? 'application/json; charset=utf-8',
      'Content-Length': payload.length,
    });
    res.end(payload);
  }

  private async dispatch(
    route: FaultRoute | 'other',
    method: string,
    path: string,
    u: URL,
    req: IncomingMessage,
  ): Promise<{ status: number; body: Record<string, unknown> | Buffer; contentType?: string }> {
    if (route === 'token') return { status: 200, body: this.issueToken(await readJson(req)) };
    if (route === 'other') {
      req.resume();
      throw new HttpError(404, 404, `no such route: ${method} ${path}`);
    }
    this.checkAuth(req);
    const parts = path.split('/'); // ['', 'open-apis', 'im', 'v1', 'messages', ':id', ...]
    const id = decodeURIComponent(parts[5] ?? '');
    switch (route) {
      case 'bot':
        req.resume();
        return {
          status: 200,
          body: {
            code: 0,
            msg: 'ok',
            bot: {
              activate_status: 2,
              app_name: this.botName,
              avatar_url: '',
              ip_white_list: [],
              open_id: this.botOpenId,
            },
          },
        };
      case 'reply':
        return ok({ ...this.toApi(this.reply(id, await readJson(req))) });
      case 'create':
        return ok({ ...this.toApi(this.create(u.searchParams.get('receive_id_type'), await readJson(req))) });
      case 'patch':
        this.patch(id, await readJson(req));
        return ok({});
      case 'get': {
        req.resume();
        return ok({ items: [this.toApi(this.mustFind(id))] });
      }
      case 'resource': {
        req.resume();
        const key = decodeURIComponent(parts[7] ?? '');
        const bytes = this.resource(id, key, u.searchParams.get('type'));
        return { status: 200, body: bytes, contentType: 'application/octet-stream' };
      }
      case 'upload':
        return ok({ file_key: this.upload(await readBody(req, this.maxFileBytes + 1024 * 1024), req) });
      case 'image':
        return ok({ image_key: this.uploadImage(await readBody(req, IMAGE_LIMIT + 1024 * 1024), req) });
    }
  }

  private issueToken(body: Record<string, unknown>): Record<string, unknown> {
    if (body.app_id !== this.opts.appId) return { code: 10003, msg: 'invalid param: app_id' };
    if (body.app_secret !== this.opts.appSecret) return { code: 10014, msg: 'app secret invalid' };
    const token = `t-${hex(20)}`;
    this.tokens.add(token);
    return { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 };
  }

  private checkAuth(req: IncomingMessage): void {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) {
      req.resume();
      throw new HttpError(400, 99991661, 'Missing access token for authorization.');
    }
    if (!this.tokens.has(m[1] ?? '')) {
      req.resume();
      throw new HttpError(400, 99991663, 'Invalid access token for authorization.');
    }
  }

  private mustFind(messageId: string): StoredMessage {
    const msg = this.getStoredMessage(messageId);
    if (!msg) throw new HttpError(400, 230001, 'The message id is invalid, record not found.');
    return msg;
  }

  private validateContent(msgType: unknown, content: unknown): { msgType: string; content: string } {
    if (typeof msgType !== 'string' || !MSG_TYPES.has(msgType)) {
      throw new HttpError(400, 230001, `invalid msg_type: ${String(msgType)}`);
    }
    if (typeof content !== 'string') throw new HttpError(400, 230001, 'content must be a JSON string');
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(content) as Record<string, unknown>;
    } catch {
      throw new HttpError(400, 230001, 'content is not valid JSON');
    }
    const size = Buffer.byteLength(content);
    if (msgType === 'text') {
      if (typeof parsed.text !== 'string') throw new HttpError(400, 230001, 'text content needs "text"');
      if (size > TEXT_LIMIT)
        throw new HttpError(400, 230025, 'The length of the message content reaches its limit.');
    }
    if ((msgType === 'interactive' || msgType === 'post') && size > CARD_LIMIT) {
      throw new HttpError(400, 230025, 'The length of the message content reaches its limit.');
    }
    if (msgType === 'media' || msgType === 'file') {
      const fileKey = parsed.file_key;
      if (typeof fileKey !== 'string' || !this.uploads.some((u) => u.fileKey === fileKey)) {
        throw new HttpError(400, 230001, 'invalid file_key');
      }
      if (parsed.image_key !== undefined && !this.images.has(String(parsed.image_key))) {
        throw new HttpError(400, 230001, 'invalid image_key');
      }
    }
    if (msgType === 'image' && !this.images.has(String(parsed.image_key))) {
      throw new HttpError(400, 230001, 'invalid image_key');
    }
    return { msgType, content };
  }

  private byIdempotency(uuid: unknown): StoredMessage | undefined {
    if (typeof uuid !== 'string' || uuid === '') return undefined;
    if (uuid.length > 50) throw new HttpError(400, 230001, 'uuid longer than 50 characters');
    const id = this.byUuid.get(uuid);
    return id ? this.getStoredMessage(id) : undefined;
  }

  private reply(parentId: string, body: Record<string, unknown>): StoredMessage {
    const parent = this.mustFind(parentId);
    const existing = this.byIdempotency(body.uuid);
    if (existing) return existing;
    const { msgType, content } = this.validateContent(body.msg_type, body.content);
    const inThread = body.reply_in_thread === true;
    let threadId = parent.threadId;
    if (inThread && !threadId) {
      threadId = `omt_${hex(8)}`;
      parent.threadId = threadId;
    }
    const msg = this.storeBotMessage(parent.chatId, parent.chatType, msgType, content, body.uuid);
    msg.parentId = parent.messageId;
    msg.rootId = parent.rootId ?? parent.messageId;
    if (threadId) msg.threadId = threadId;
    msg.replyInThread = inThread;
    this.emit('message', msg);
    return msg;
  }

  private create(receiveIdType: string | null, body: Record<string, unknown>): StoredMessage {
    if (receiveIdType !== 'chat_id' && receiveIdType !== 'open_id') {
      throw new HttpError(400, 230001, 'receive_id_type must be chat_id or open_id (fake)');
    }
    if (typeof body.receive_id !== 'string' || body.receive_id === '') {
      throw new HttpError(400, 230001, 'receive_id is required');
    }
    const existing = this.byIdempotency(body.uuid);
    if (existing) return existing;
    const { msgType, content } = this.validateContent(body.msg_type, body.content);
    const chatId = receiveIdType === 'chat_id' ? body.receive_id : `oc_p2p_${body.receive_id}`;
    const known = this.messages.find((m) => m.chatId === chatId);
    const chatType = known?.chatType ?? (receiveIdType === 'open_id' ? 'p2p' : 'group');
    const msg = this.storeBotMessage(chatId, chatType, msgType, content, body.uuid);
    this.emit('message', msg);
    return msg;
  }

  private storeBotMessage(
    chatId: string,
    chatType: string,
    msgType: string,
    content: string,
    uuid: unknown,
  ): StoredMessage {
    const now = Date.now();
    const msg: StoredMessage = {
      messageId: `om_${hex(16)}`,
      chatId,
      chatType,
      msgType,
      content,
      senderId: this.opts.appId,
      senderType: 'app',
      createTime: now,
      updateTime: now,
      updated: false,
    };
    if (typeof uuid === 'string' && uuid !== '') {
      msg.uuid = uuid;
      this.byUuid.set(uuid, msg.messageId);
    }
    this.messages.push(msg);
    return msg;
  }

  private patch(messageId: string, body: Record<string, unknown>): void {
    const msg = this.mustFind(messageId);
    if (msg.senderType !== 'app') throw new HttpError(400, 230012, 'Bot is NOT the sender of the message.');
    if (msg.msgType !== 'interactive')
      throw new HttpError(400, 230001, 'only interactive messages can be patched');
    const { content } = this.validateContent('interactive', body.content);
    if (!updateMulti(msg.content) || !updateMulti(content)) {
      throw new HttpError(400, 230099, 'Failed to create card content: config.update_multi must be true');
    }
    const at = Date.now();
    msg.content = content;
    msg.updateTime = at;
    msg.updated = true;
    const patch = { messageId, content, at };
    this.patches.push(patch);
    this.emit('patch', { ...patch, message: msg });
  }

  private resource(messageId: string, key: string, type: string | null): Buffer {
    const msg = this.mustFind(messageId);
    if (type !== 'image' && type !== 'file') throw new HttpError(400, 234001, 'type must be image or file');
    if (!msg.content.includes(key)) throw new HttpError(400, 234003, 'File not in msg.');
    if (type === 'image') {
      const img = this.images.get(key);
      if (!img) throw new HttpError(400, 234003, 'File not in msg.');
      return img.bytes;
    }
    const file = this.uploads.find((u) => u.fileKey === key);
    if (!file) throw new HttpError(400, 234003, 'File not in msg.');
    return file.bytes;
  }

  private upload(body: Buffer | null, req: IncomingMessage): string {
    if (!body) throw new HttpError(400, 234006, 'The file size exceed the max value.');
    const fields = formFields(body, req);
    const file = fields.get('file');
    const fileType = fields.get('file_type')?.data.toString('utf8') ?? '';
    const fileName = fields.get('file_name')?.data.toString('utf8') ?? '';
    const durationText = fields.get('duration')?.data.toString('utf8');
    if (!['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'].includes(fileType)) {
      throw new HttpError(400, 234001, 'Invalid request param: file_type');
    }
    if (!fileName) throw new HttpError(400, 234001, 'Invalid request param: file_name');
    if (!file || file.data.length === 0) throw new HttpError(400, 234010, 'File is empty.');
    if (file.data.length > this.maxFileBytes)
      throw new HttpError(400, 234006, 'The file size exceed the max value.');
    const upload: StoredUpload = {
      fileKey: `file_v3_${hex(12)}`,
      fileType,
      fileName,
      bytes: Buffer.from(file.data),
      at: Date.now(),
    };
    if (durationText !== undefined) {
      const duration = Number(durationText);
      if (!Number.isInteger(duration) || duration < 0) {
        throw new HttpError(400, 234001, 'Invalid request param: duration');
      }
      upload.duration = duration;
    }
    this.uploads.push(upload);
    this.emit('upload', upload);
    return upload.fileKey;
  }

  private uploadImage(body: Buffer | null, req: IncomingMessage): string {
    if (!body) throw new HttpError(400, 234006, 'The file size exceed the max value.');
    const fields = formFields(body, req);
    const type = fields.get('image_type')?.data.toString('utf8');
    if (type !== 'message' && type !== 'avatar')
      throw new HttpError(400, 234001, 'Invalid request param: image_type');
    const image = fields.get('image');
    if (!image || image.data.length === 0) throw new HttpError(400, 234010, 'File is empty.');
    if (image.data.length > IMAGE_LIMIT)
      throw new HttpError(400, 234006, 'The file size exceed the max value.');
    const imageKey = `img_v3_${hex(12)}`;
    this.images.set(imageKey, { imageKey, bytes: Buffer.from(image.data), source: 'upload', at: Date.now() });
    return imageKey;
  }

  /** A message in the Open API's shape. */
  private toApi(m: StoredMessage): Record<string, unknown> {
    return {
      message_id: m.messageId,
      root_id: m.rootId ?? '',
      parent_id: m.parentId ?? '',
      thread_id: m.threadId ?? '',
      msg_type: m.msgType,
      create_time: String(m.createTime),
      update_time: String(m.updateTime),
      deleted: false,
      updated: m.updated,
      chat_id: m.chatId,
      sender: {
        id: m.senderId,
        id_type: m.senderType === 'app' ? 'app_id' : 'open_id',
        sender_type: m.senderType,
        tenant_key: this.tenantKey,
      },
      body: { content: m.content },
      mentions: (m.mentions ?? []).map((x) => ({
        key: x.key,
        id: x.openId,
        id_type: 'open_id',
        name: x.name,
      })),
    };
  }
}

export function startFakeFeishu(opts: FakeFeishuOptions): Promise<FakeFeishu> {
  return new FakeFeishu(opts).listen();
}

function ok(data: Record<string, unknown>) {
  return { status: 200, body: { code: 0, msg: 'success', data } };
}

function routeOf(method: string, path: string): FaultRoute | 'other' {
  if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') return 'token';
  if (method === 'GET' && path === '/open-apis/bot/v3/info') return 'bot';
  if (method === 'POST' && path === '/open-apis/im/v1/messages') return 'create';
  if (method === 'POST' && path === '/open-apis/im/v1/files') return 'upload';
  if (method === 'POST' && path === '/open-apis/im/v1/images') return 'image';
  if (method === 'POST' && /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/.test(path)) return 'reply';
  if (method === 'PATCH' && /^\/open-apis\/im\/v1\/messages\/[^/]+$/.test(path)) return 'patch';
  if (method === 'GET' && /^\/open-apis\/im\/v1\/messages\/[^/]+$/.test(path)) return 'get';
  if (method === 'GET' && /^\/open-apis\/im\/v1\/messages\/[^/]+\/resources\/[^/]+$/.test(path))
    return 'resource';
  return 'other';
}

function updateMulti(cardJson: string): boolean {
  try {
    const card = JSON.parse(cardJson) as { config?: { update_multi?: unknown } };
    return card.config?.update_multi === true;
  } catch {
    return false;
  }
}

/** The body, or null when it is over `limit` bytes (the rest is discarded). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) over = true;
    if (!over) chunks.push(buf);
  }
  return over ? null : Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, 1024 * 1024);
  if (!body) throw new HttpError(400, 230025, 'request body too large');
  try {
    const v: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 9499, 'Bad Request: body is not a JSON object');
  }
}

function formFields(body: Buffer, req: IncomingMessage) {
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary) throw new HttpError(400, 234001, 'Content-Type must be multipart/form-data');
  try {
    return new Map(parseMultipart(body, boundary).map((p) => [p.name, p]));
  } catch (e) {
    throw new HttpError(400, 234001, `malformed multipart body: ${(e as Error).message}`);
  }
}
