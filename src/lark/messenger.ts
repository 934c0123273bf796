import * as lark from '@larksuiteoapi/node-sdk';
import { type Logger, silentLogger } from '../log.js';
import { readCapped } from '../util/read-capped.js';
import { httpInstanceWithTimeout } from './http-instance.js';
import { checked, LarkCaller } from './lark-call.js';
import { isLarkApiError, LarkApiError } from './lark-error.js';
import { contentParts, parseContent } from './message-content.js';
import { resolveDomain } from './resolve-domain.js';
import { sdkLogger } from './sdk-logger.js';
import { TokenCache } from './token-cache.js';
import { uploadFile, wholeBodyHttpInstance } from './upload-file.js';

export interface MessengerOptions {
  appId: string;
  appSecret: string;
  /** 'feishu' (default), 'lark', or a base URL such as the sandbox's fake Feishu. */
  domain?: string;
  logger?: Logger;
  /** Extra attempts for retryable failures (5xx, timeouts, network, rate limits). Default 3. */
  retries?: number;
  /** First backoff delay; doubles per attempt, with jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** No retry starts once this much time has passed since the first attempt. Default 10 s. */
  retryBudgetMs?: number;
  /** Per-request timeout for JSON calls and downloads. Default 15 s. */
  timeoutMs?: number;
  /** Per-request timeout for uploads. Default 120 s. */
  uploadTimeoutMs?: number;
  /** Largest image downloadImage accepts. Default 10 MiB. */
  maxDownloadBytes?: number;
  /** Where the chats that refuse thread replies are remembered (the store, in the app). */
  threads?: ThreadMemory;
}

/** Chats that refuse replies in a thread (230071): later replies there go straight to the chat. */
export interface ThreadMemory {
  refused(chatId: string): Promise<boolean>;
  markRefused(chatId: string): Promise<void>;
}

export interface SendOptions {
  /** Idempotency key (≤ 50 chars): the same uuid within an hour never yields a second message. */
  uuid: string;
  /** Reply inside a thread (topic) under the replied message. */
  inThread?: boolean;
  /** The chat of the replied message, when known: lets a chat that refuses threads be answered at once. */
  chatId?: string;
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
  deleted?: boolean;
}

/** Largest file Feishu accepts through im.file.create. */
export const MAX_UPLOAD_BYTES = 30 * 1024 * 1024;

/**
 * Outgoing side of the bot over @larksuiteoapi/node-sdk: replies (in a thread, or without one where the
 * chat refuses threads), messages to a chat, card updates, image downloads, video uploads. Knows nothing
 * of videos or jobs.
 */
export class Messenger {
  private readonly client: lark.Client;
  private readonly uploadClient: lark.Client;
  private readonly caller: LarkCaller;
  private readonly log: Logger;
  private readonly maxDownloadBytes: number;
  private readonly threads: ThreadMemory | undefined;

  constructor(opts: MessengerOptions) {
    this.log = opts.logger ?? silentLogger;
    this.maxDownloadBytes = opts.maxDownloadBytes ?? 10 * 1024 * 1024;
    this.threads = opts.threads;
    const tokens = new TokenCache();
    const base = {
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain: resolveDomain(opts.domain),
      loggerLevel: lark.LoggerLevel.error,
      // The SDK logs every failed request; the Messenger reports failures itself, so these stay at debug.
      logger: sdkLogger(this.log, { level: 'debug', secrets: [opts.appSecret] }),
      cache: tokens,
    };
    this.client = new lark.Client({
      ...base,
      httpInstance: httpInstanceWithTimeout(opts.timeoutMs ?? 15_000),
    });
    this.uploadClient = new lark.Client({
      ...base,
      httpInstance: wholeBodyHttpInstance(httpInstanceWithTimeout(opts.uploadTimeoutMs ?? 120_000)),
    });
    this.caller = new LarkCaller({
      logger: this.log,
      tokens,
      ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
      ...(opts.baseDelayMs !== undefined ? { baseDelayMs: opts.baseDelayMs } : {}),
      ...(opts.retryBudgetMs !== undefined ? { retryBudgetMs: opts.retryBudgetMs } : {}),
    });
  }

  /** The bot's own open_id and name (GET /open-apis/bot/v3/info). */
  async botInfo(): Promise<{ openId: string; name: string }> {
    const body = await this.caller.call('bot.info', async () =>
      checked(
        'bot.info',
        (await this.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as {
          code?: number;
          msg?: string;
          bot?: { open_id?: string; app_name?: string };
        },
      ),
    );
    const openId = body.bot?.open_id;
    if (!openId) throw new LarkApiError('UNKNOWN', 'bot.info: response has no bot.open_id');
    return { openId, name: body.bot?.app_name ?? '' };
  }

  /** A chat's name (im.chat.get). */
  async chatName(chatId: string): Promise<string> {
    const res = await this.caller.call('im.chat.get', async () =>
      checked('im.chat.get', await this.client.im.chat.get({ path: { chat_id: chatId } })),
    );
    return res.data?.name ?? '';
  }

  replyText(messageId: string, text: string, opts: SendOptions): Promise<SentMessage> {
    return this.reply(messageId, 'text', JSON.stringify({ text }), opts);
  }

  /** Sends a card (msg_type interactive). Set `config.update_multi: true` if you will patch it. */
  replyCard(messageId: string, card: object, opts: SendOptions): Promise<SentMessage> {
    return this.reply(messageId, 'interactive', JSON.stringify(card), opts);
  }

  /** Sends an uploaded mp4 (see uploadVideo) so it plays inline. */
  replyMedia(messageId: string, fileKey: string, opts: SendOptions): Promise<SentMessage> {
    return this.reply(messageId, 'media', JSON.stringify({ file_key: fileKey }), opts);
  }

  /** Posts a text to a chat (not a reply); `<at user_id="ou_…"></at>` mentions a user. */
  sendText(chatId: string, text: string, opts: { uuid: string }): Promise<SentMessage> {
    return this.send(chatId, 'text', JSON.stringify({ text }), opts.uuid);
  }

  sendCard(chatId: string, card: object, opts: { uuid: string }): Promise<SentMessage> {
    return this.send(chatId, 'interactive', JSON.stringify(card), opts.uuid);
  }

  sendMedia(chatId: string, fileKey: string, opts: { uuid: string }): Promise<SentMessage> {
    return this.send(chatId, 'media', JSON.stringify({ file_key: fileKey }), opts.uuid);
  }

  /** Replaces a card sent by this bot (both cards need `config.update_multi: true`). */
  async patchCard(messageId: string, card: object): Promise<void> {
    const content = JSON.stringify(card);
    await this.caller.call('im.message.patch', async () =>
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
      res = await this.caller.call('im.message.get', async () =>
        checked('im.message.get', await this.client.im.message.get({ path: { message_id: messageId } })),
      );
    } catch (e) {
      if (isLarkApiError(e) && (e.code === 'NOT_FOUND' || e.code === 'RECALLED' || e.larkCode === 230001))
        return null;
      throw e;
    }
    const item = res.data?.items?.[0];
    if (!item || item.deleted) return null;
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
    return out;
  }

  /** Bytes of an image a user sent (needs the id of the message that carries it). */
  downloadImage(messageId: string, imageKey: string): Promise<Buffer> {
    return this.caller.call('im.messageResource.get', async () => {
      const res = await this.client.im.messageResource.get({
        path: { message_id: messageId, file_key: imageKey },
        params: { type: 'image' },
      });
      const bytes = await readCapped(res.getReadableStream(), this.maxDownloadBytes);
      if (!bytes)
        throw new LarkApiError('TOO_LARGE', `image larger than ${this.maxDownloadBytes} bytes`, {
          retryable: false,
        });
      return bytes;
    });
  }

  /** Uploads an mp4 (≤ 30 MB) and returns its file_key. */
  async uploadVideo(bytes: Buffer, fileName: string, durationMs: number): Promise<string> {
    if (bytes.length > MAX_UPLOAD_BYTES)
      throw new LarkApiError(
        'TOO_LARGE',
        `im.file.create: ${bytes.length} bytes exceed Feishu's 30 MB limit`,
      );
    if (bytes.length === 0) throw new LarkApiError('BAD_REQUEST', 'im.file.create: empty file');
    return this.caller.call('im.file.create', () =>
      uploadFile(this.uploadClient, { bytes, fileName, fileType: 'mp4', durationMs }),
    );
  }

  private async reply(
    messageId: string,
    msgType: string,
    content: string,
    opts: SendOptions,
  ): Promise<SentMessage> {
    checkUuid(opts.uuid);
    const inThread = !!opts.inThread && !(opts.chatId && (await this.threads?.refused(opts.chatId)));
    const attempt = (thread: boolean) =>
      this.caller.call('im.message.reply', async () =>
        checked(
          'im.message.reply',
          await this.client.im.message.reply({
            path: { message_id: messageId },
            data: { msg_type: msgType, content, reply_in_thread: thread, uuid: opts.uuid },
          }),
        ),
      );
    try {
      return sent('im.message.reply', (await attempt(inThread)).data?.message_id);
    } catch (err) {
      if (!inThread || !isLarkApiError(err) || err.code !== 'THREAD_REFUSED') throw err;
      // The refused call created nothing, so the same uuid is fine for the plain reply.
      if (err.larkCode === 230071 && opts.chatId) {
        this.log.info(
          { chatId: opts.chatId },
          'lark: this chat refuses thread replies; replying without a thread from now on',
        );
        await this.threads?.markRefused(opts.chatId);
      }
      return sent('im.message.reply', (await attempt(false)).data?.message_id);
    }
  }

  private async send(chatId: string, msgType: string, content: string, uuid: string): Promise<SentMessage> {
    checkUuid(uuid);
    const res = await this.caller.call('im.message.create', async () =>
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
}

function sent(op: string, messageId: string | undefined): SentMessage {
  if (!messageId) throw new LarkApiError('UNKNOWN', `${op}: response has no message_id`);
  return { messageId };
}

function checkUuid(uuid: string): void {
  if (!uuid || uuid.length > 50)
    throw new LarkApiError('BAD_REQUEST', 'uuid must be 1 to 50 characters (Feishu idempotency key)');
}
