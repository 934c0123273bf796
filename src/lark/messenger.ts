import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import * as lark from '@larksuiteoapi/node-sdk';
import { type Logger, silentLogger } from '../log.js';
import { LarkApiError, larkBodyError, TOKEN_INVALID_CODES, toLarkApiError } from './lark-error.js';
import { contentParts, parseContent } from './message-content.js';
import { resolveDomain } from './resolve-domain.js';
import { sdkLogger } from './sdk-logger.js';

export interface MessengerOptions {
  appId: string;
  appSecret: string;
  /** 'feishu' (default), 'lark', or a base URL such as the sandbox's fake Feishu. */
  domain?: string;
  logger?: Logger;
  /** Extra attempts for retryable failures (5xx, timeouts, network, rate limits). Default 3. */
  retries?: number;
  /** First backoff delay; doubles per attempt, ±50 % jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** No retry starts once this much time has passed since the first attempt. Default 10 s. */
  retryBudgetMs?: number;
  /** Per-request timeout for JSON calls and downloads. Default 15 s. */
  timeoutMs?: number;
  /** Per-request timeout for uploads. Default 120 s. */
  uploadTimeoutMs?: number;
  /** Largest image downloadImage accepts. Default 10 MiB. */
  maxDownloadBytes?: number;
}

export interface SendOptions {
  /** Idempotency key (≤ 50 chars): the same uuid within an hour never yields a second message. */
  uuid: string;
  /** Reply inside a thread (topic) under the replied message. */
  inThread?: boolean;
}

export interface SentMessage {
  messageId: string;
}

export interface FetchedMessage {
  messageId: string;
  msgType: string;
  /** body.content parsed (JSON); `{}` when it is not JSON. */
  content: Record<string, unknown>;
  /** The text and images in it (an image message's key, a post's img keys). */
  text: string;
  imageKeys: string[];
  chatId?: string;
  parentId?: string;
  rootId?: string;
  threadId?: string;
  senderId?: string;
  senderType?: string;
}

/** Largest file Feishu accepts through im.file.create. */
export const MAX_UPLOAD_BYTES = 30 * 1024 * 1024;

/** Outgoing side of the bot over @larksuiteoapi/node-sdk: replies, cards, media. Knows nothing of videos. */
export class Messenger {
  private readonly client: lark.Client;
  private readonly uploadClient: lark.Client;
  private readonly tokens = new TokenCache();
  private readonly logger: Logger;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly retryBudgetMs: number;
  private readonly maxDownloadBytes: number;

  constructor(opts: MessengerOptions) {
    this.logger = opts.logger ?? silentLogger;
    this.retries = opts.retries ?? 3;
    this.baseDelayMs = opts.baseDelayMs ?? 500;
    this.retryBudgetMs = opts.retryBudgetMs ?? 10_000;
    this.maxDownloadBytes = opts.maxDownloadBytes ?? 10 * 1024 * 1024;
    const base = {
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain: resolveDomain(opts.domain),
      loggerLevel: lark.LoggerLevel.error,
      // The SDK logs every failed request; the Messenger reports failures itself, so these stay at debug.
      logger: sdkLogger(this.logger, { level: 'debug', secrets: [opts.appSecret] }),
      // Our own token cache (not the SDK's process-global one), so a rejected token can be dropped.
      cache: this.tokens,
    };
    this.client = new lark.Client({ ...base, httpInstance: withTimeout(opts.timeoutMs ?? 15_000) });
    this.uploadClient = new lark.Client({
      ...base,
      httpInstance: withTimeout(opts.uploadTimeoutMs ?? 120_000),
    });
  }

  /** The bot's own open_id and name (GET /open-apis/bot/v3/info). */
  async botInfo(): Promise<{ openId: string; name: string }> {
    const body = await this.call('bot.info', async () => {
      const res = (await this.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as {
        code?: number;
        msg?: string;
        bot?: { open_id?: string; app_name?: string };
      };
      return checked('bot.info', res);
    });
    const openId = body.bot?.open_id;
    if (!openId) throw new LarkApiError('UNKNOWN', 'bot.info: response has no bot.open_id');
    return { openId, name: body.bot?.app_name ?? '' };
  }

  replyText(messageId: string, text: string, opts: SendOptions): Promise<SentMessage> {
    return this.reply(messageId, 'text', JSON.stringify({ text }), opts);
  }

  /** Sends a card (msg_type interactive). Set `config.update_multi: true` if you will patch it. */
  replyCard(messageId: string, card: object, opts: SendOptions): Promise<SentMessage> {
    return this.reply(messageId, 'interactive', JSON.stringify(card), opts);
  }

  /** Sends an uploaded mp4 (see uploadVideo) so it plays inline; `coverImageKey` from uploadImage. */
  replyMedia(
    messageId: string,
    fileKey: string,
    opts: SendOptions & { coverImageKey?: string },
  ): Promise<SentMessage> {
    const content = opts.coverImageKey
      ? { file_key: fileKey, image_key: opts.coverImageKey }
      : { file_key: fileKey };
    return this.reply(messageId, 'media', JSON.stringify(content), opts);
  }

  /** Posts a text to a chat (not a reply). */
  sendText(chatId: string, text: string, opts: { uuid: string }): Promise<SentMessage> {
    return this.send(chatId, 'text', JSON.stringify({ text }), opts.uuid);
  }

  /** Posts a card to a chat (not a reply). */
  sendCard(chatId: string, card: object, opts: { uuid: string }): Promise<SentMessage> {
    return this.send(chatId, 'interactive', JSON.stringify(card), opts.uuid);
  }

  /** Replaces a card sent by this bot (both cards need `config.update_multi: true`). */
  async patchCard(messageId: string, card: object): Promise<void> {
    const content = JSON.stringify(card);
    await this.call('im.message.patch', async () =>
      checked(
        'im.message.patch',
        await this.client.im.message.patch({ path: { message_id: messageId }, data: { content } }),
      ),
    );
  }

  /** One message, or null when it does not exist (any more). */
  async getMessage(messageId: string): Promise<FetchedMessage | null> {
    let res: Awaited<ReturnType<lark.Client['im']['message']['get']>>;
    try {
      res = await this.call('im.message.get', async () =>
        checked('im.message.get', await this.client.im.message.get({ path: { message_id: messageId } })),
      );
    } catch (e) {
      if (e instanceof LarkApiError && (e.code === 'NOT_FOUND' || e.larkCode === 230001)) return null;
      throw e;
    }
    const item = res.data?.items?.[0];
    if (!item) return null;
    const content = parseContent(item.body?.content);
    const msgType = item.msg_type ?? '';
    const out: FetchedMessage = {
      messageId: item.message_id ?? messageId,
      msgType,
      content,
      ...contentParts(msgType, content),
    };
    if (item.chat_id) out.chatId = item.chat_id;
    if (item.parent_id) out.parentId = item.parent_id;
    if (item.root_id) out.rootId = item.root_id;
    if (item.thread_id) out.threadId = item.thread_id;
    if (item.sender?.id) out.senderId = item.sender.id;
    if (item.sender?.sender_type) out.senderType = item.sender.sender_type;
    return out;
  }

  /** Bytes of an image a user sent (needs the id of the message that carries it). */
  downloadImage(messageId: string, imageKey: string): Promise<Buffer> {
    return this.call('im.messageResource.get', async () => {
      const res = await this.client.im.messageResource.get({
        path: { message_id: messageId, file_key: imageKey },
        params: { type: 'image' },
      });
      return readCapped(res.getReadableStream(), this.maxDownloadBytes);
    });
  }

  /** Uploads an mp4 (≤ 30 MB) and returns its file_key. */
  async uploadVideo(bytes: Buffer, fileName: string, durationMs: number): Promise<string> {
    if (bytes.length > MAX_UPLOAD_BYTES) {
      throw new LarkApiError(
        'TOO_LARGE',
        `im.file.create: ${bytes.length} bytes exceed Feishu's 30 MB limit`,
      );
    }
    if (bytes.length === 0) throw new LarkApiError('BAD_REQUEST', 'im.file.create: empty file');
    const res = await this.call('im.file.create', () =>
      this.uploadClient.im.file.create({
        data: {
          file_type: 'mp4',
          file_name: fileName,
          duration: Math.max(0, Math.round(durationMs)),
          file: bytes,
        },
      }),
    );
    if (!res?.file_key) throw new LarkApiError('UNKNOWN', 'im.file.create: Feishu returned no file_key');
    return res.file_key;
  }

  /** Uploads an image for messages (e.g. a video cover) and returns its image_key. */
  async uploadImage(bytes: Buffer): Promise<string> {
    const res = await this.call('im.image.create', () =>
      this.uploadClient.im.image.create({ data: { image_type: 'message', image: bytes } }),
    );
    if (!res?.image_key) throw new LarkApiError('UNKNOWN', 'im.image.create: Feishu returned no image_key');
    return res.image_key;
  }

  private async reply(
    messageId: string,
    msgType: string,
    content: string,
    opts: SendOptions,
  ): Promise<SentMessage> {
    checkUuid(opts.uuid);
    const data = { msg_type: msgType, content, reply_in_thread: opts.inThread ?? false, uuid: opts.uuid };
    const res = await this.call('im.message.reply', async () =>
      checked(
        'im.message.reply',
        await this.client.im.message.reply({ path: { message_id: messageId }, data }),
      ),
    );
    return sent('im.message.reply', res.data?.message_id);
  }

  private async send(chatId: string, msgType: string, content: string, uuid: string): Promise<SentMessage> {
    checkUuid(uuid);
    const res = await this.call('im.message.create', async () =>
      checked(
        'im.message.create',
        await this.client.im.message.create({
          params: { receive_id_type: 'chat_id' },
          data: { receive_id: chatId, msg_type: msgType, content, uuid },
        }),
      ),
    );
    return sent('im.message.create', res.data?.message_id);
  }

  /** Runs `fn`, retrying retryable failures with jittered backoff; the request payload (and uuid) never changes. */
  private async call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let tokenDropped = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const err = await toLarkApiError(op, e);
        if (err.larkCode !== undefined && TOKEN_INVALID_CODES.has(err.larkCode) && !tokenDropped) {
          tokenDropped = true;
          this.tokens.clear();
          this.logger.warn({ op, larkCode: err.larkCode }, 'lark: tenant token rejected; fetching a new one');
          attempt--;
          continue;
        }
        const delay = Math.round(this.baseDelayMs * 2 ** attempt * (0.5 + Math.random()));
        const canRetry =
          err.retryable && attempt < this.retries && Date.now() - started + delay <= this.retryBudgetMs;
        if (!canRetry) {
          this.logFailure(op, err);
          throw err;
        }
        this.logger.warn(
          {
            op,
            code: err.code,
            larkCode: err.larkCode,
            httpStatus: err.httpStatus,
            attempt: attempt + 1,
            delay,
          },
          'lark: call failed, retrying',
        );
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private logFailure(op: string, err: LarkApiError): void {
    const fields = { op, code: err.code, larkCode: err.larkCode, httpStatus: err.httpStatus };
    if (err.code === 'AUTH') {
      this.logger.error(
        fields,
        'lark: Feishu rejected the app credentials: check LARK_APP_ID and LARK_APP_SECRET',
      );
    } else if (err.code === 'FORBIDDEN') {
      this.logger.error(
        fields,
        'lark: permission denied: check the app scopes (im:message, im:message:send_as_bot, im:resource) and that the bot is in the chat',
      );
    } else {
      this.logger.warn(fields, `lark: ${err.message}`);
    }
  }
}

function checked<T extends { code?: number; msg?: string }>(op: string, res: T | null | undefined): T {
  if (!res || (res.code !== undefined && res.code !== 0)) throw larkBodyError(op, res);
  return res;
}

function sent(op: string, messageId: string | undefined): SentMessage {
  if (!messageId) throw new LarkApiError('UNKNOWN', `${op}: response has no message_id`);
  return { messageId };
}

function checkUuid(uuid: string): void {
  if (!uuid || uuid.length > 50) {
    throw new LarkApiError('BAD_REQUEST', 'uuid must be 1 to 50 characters (Feishu idempotency key)');
  }
}

async function readCapped(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > max) {
      stream.destroy();
      throw new LarkApiError('TOO_LARGE', `image larger than ${max} bytes`, { retryable: false });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

/** The SDK's shared axios instance with a per-request timeout (the SDK sets none). */
// The SDK's axios instance opens a new connection (and TLS handshake) per call by default; reusing
// them matters when a burst of acceptance cards goes out.
const agents = {
  httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 32 }),
  httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 32 }),
};

function withTimeout(timeout: number): lark.HttpInstance {
  const base = lark.defaultHttpInstance;
  const d = { timeout, ...agents };
  return {
    request: (o) => base.request({ ...d, ...o }),
    get: (url, o) => base.get(url, { ...d, ...o }),
    delete: (url, o) => base.delete(url, { ...d, ...o }),
    head: (url, o) => base.head(url, { ...d, ...o }),
    options: (url, o) => base.options(url, { ...d, ...o }),
    post: (url, data, o) => base.post(url, data, { ...d, ...o }),
    put: (url, data, o) => base.put(url, data, { ...d, ...o }),
    patch: (url, data, o) => base.patch(url, data, { ...d, ...o }),
  } as lark.HttpInstance;
}

type CacheKey = Parameters<lark.Cache['get']>[0];

/** Token cache per Messenger (the SDK's default is process-global per appId). */
class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();

  async get(key: CacheKey, options?: { namespace?: string }): Promise<unknown> {
    const k = `${options?.namespace ?? ''}:${String(key)}`;
    const entry = this.values.get(k);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt < Date.now()) {
      this.values.delete(k);
      return undefined;
    }
    return entry.value;
  }

  async set(key: CacheKey, value: unknown, expire?: number, options?: { namespace?: string }) {
    this.values.set(`${options?.namespace ?? ''}:${String(key)}`, {
      value,
      ...(expire === undefined ? {} : { expiresAt: expire }),
    });
    return true;
  }

  clear(): void {
    this.values.clear();
  }
}
