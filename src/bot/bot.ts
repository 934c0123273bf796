import { writeFile } from 'node:fs/promises';
import PQueue from 'p-queue';
import type { Locale, Tier } from '../config.js';
import { isJimengError } from '../jimeng/errors.js';
import { imageInfo } from '../jimeng/image-info.js';
import { MODELS, type ModelInfo, priceOf, resolveModel } from '../jimeng/models.js';
import { validateRequest } from '../jimeng/validate.js';
import type { Messenger } from '../lark/messenger.js';
import { normalizeMessage } from '../lark/normalize-message.js';
import type { IncomingMessage, LarkEvent } from '../lark/types.js';
import { type Logger, silentLogger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Job } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { AdminCommands } from './admin-commands.js';
import { jobCard } from './cards.js';
import { type ParsedInput, parseCommand } from './commands.js';
import { dayOf } from './day-of.js';
import type { JobRunner } from './job-runner.js';
import { checkQuota, type QuotaPolicy, reserve } from './quota.js';
import { quotaTexts } from './quota-texts.js';
import { texts } from './texts.js';

export interface BotOptions {
  store: Store;
  runner: JobRunner;
  messenger: Messenger;
  policy: QuotaPolicy & { timezone: string };
  admins: string[];
  defaults: { model: Tier; duration: 5 | 10; ratio: string };
  locale?: Locale;
  botOpenId?: string;
  logger?: Logger;
  metrics?: Metrics;
  now?: () => number;
  /** Messages handled at once (each may fetch an image from Feishu). */
  concurrency?: number;
}

type VideoCommand = Extract<ParsedInput, { type: 'video' }>;

/**
 * The product: turns messages into replies and jobs. Knows nothing of HTTP. `onEvent` is what a
 * receiver calls; it only normalises, deduplicates and persists the message to the inbox (so it
 * can acknowledge within Feishu's deadline); the inbox is drained in the background, and drained
 * again after a restart.
 */
export class Bot {
  private readonly o: BotOptions;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly work: PQueue;
  /**
   * Acceptance cards go out here, so accepting the next message never waits for Feishu. Feishu allows
   * an app about 1,000 message sends a minute (50/s bursts); cards keep to 15/s so that answers and
   * card updates still have room during a burst of /video. One every 67 ms rather than 15 at the top of
   * each second: a batch of 15 sends is ~20 ms of CPU that every webhook ack arriving then would wait behind.
   */
  private readonly cards = new PQueue({ concurrency: 5, intervalCap: 1, interval: 67 });
  private readonly admin: AdminCommands;
  private readonly inProgress = new Set<string>();
  botOpenId: string | undefined;

  constructor(options: BotOptions) {
    this.o = options;
    this.log = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.work = new PQueue({ concurrency: options.concurrency ?? 16 });
    this.botOpenId = options.botOpenId;
    this.admin = new AdminCommands({ ...options, now: this.now });
  }

  private get locale(): Locale {
    return this.o.locale ?? 'zh';
  }
  private get store(): Store {
    return this.o.store;
  }

  /** The receiver's handler: quick (one group-committed write), never waits for Jimeng. */
  onEvent = async (evt: LarkEvent): Promise<void> => {
    const msg = normalizeMessage(evt);
    if (!msg) {
      this.o.metrics?.events.inc({ outcome: 'not_a_message' });
      return;
    }
    if (this.parse(msg).type === 'ignore') {
      this.o.metrics?.events.inc({ outcome: 'ignored' });
      return;
    }
    if (!this.store.markSeen(msg.messageId)) {
      this.o.metrics?.events.inc({ outcome: 'duplicate' });
      return;
    }
    this.store.addToInbox(msg);
    await this.store.commit();
    this.o.metrics?.events.inc({ outcome: 'accepted' });
    this.schedule(msg);
  };

  /** Sends cards that a crash kept from going out, then handles what is left in the inbox. */
  async start(): Promise<void> {
    for (const job of this.store.activeJobs()) if (!job.cardMessageId) await this.sendCard(job);
    this.drain();
  }

  /** Stops taking work; a job whose card did not go out gets it on the next start. */
  async stop(): Promise<void> {
    for (const q of [this.work, this.cards]) {
      q.pause();
      q.clear();
    }
    await Promise.all([this.work.onIdle(), this.cards.onIdle()]);
  }

  /** Resolves when every inbox message has been handled and its card sent (tests and shutdown use it). */
  async idle(): Promise<void> {
    await this.work.onIdle();
    await this.cards.onIdle();
  }

  private drain(): void {
    for (const msg of this.store.inbox()) this.schedule(msg);
  }

  private schedule(msg: IncomingMessage): void {
    if (this.inProgress.has(msg.messageId)) return;
    this.inProgress.add(msg.messageId);
    this.work
      .add(() => this.handle(msg))
      .catch((err) => this.log.error({ err, messageId: msg.messageId }, 'handling a message failed'))
      .finally(() => this.inProgress.delete(msg.messageId));
  }

  private parse(msg: IncomingMessage): ParsedInput {
    return parseCommand(msg.text, {
      mentions: msg.mentions,
      chatType: msg.chatType,
      locale: this.locale,
      ...(this.botOpenId ? { botOpenId: this.botOpenId } : {}),
    });
  }

  private done(msg: IncomingMessage): void {
    this.store.removeFromInbox(msg.messageId);
  }

  /** Replies once per message: the uuid makes a repeat (after a crash) a no-op at Feishu. */
  private async reply(msg: IncomingMessage, text: string): Promise<void> {
    await this.o.messenger.replyText(msg.messageId, text, { uuid: `${msg.messageId}-r`, inThread: true });
  }

  private async handle(msg: IncomingMessage): Promise<void> {
    const cmd = this.parse(msg);
    const t = texts[this.locale];
    this.log.info(
      { messageId: msg.messageId, user: msg.senderOpenId, chatId: msg.chatId, command: cmd.type },
      `message ${msg.messageId}: ${cmd.type}`,
    );
    try {
      switch (cmd.type) {
        case 'ignore':
          break;
        case 'video':
          await this.handleVideo(msg, cmd);
          return; // handleVideo takes the message out of the inbox itself, atomically with the job
        case 'help':
          await this.reply(
            msg,
            t.help({ showAdmin: this.o.admins.includes(msg.senderOpenId), defaults: this.o.defaults }),
          );
          break;
        case 'models':
          await this.reply(msg, t.models(MODELS.filter((m) => m.documented)));
          break;
        case 'mention_only':
          await this.reply(msg, t.mentionOnly({ chatType: msg.chatType }));
          break;
        case 'error':
          await this.reply(msg, cmd.message);
          break;
        default: {
          const answer = await this.admin.handle(msg, cmd, this.o.runner);
          if (answer.card) {
            await this.o.messenger.replyCard(msg.messageId, answer.card, {
              uuid: `${msg.messageId}-r`,
              inThread: true,
            });
          } else if (answer.text) await this.reply(msg, answer.text);
        }
      }
    } catch (err) {
      this.log.error({ err: String(err), messageId: msg.messageId }, 'could not answer a command');
    }
    this.done(msg);
    await this.store.commit();
  }

  private async handleVideo(msg: IncomingMessage, cmd: VideoCommand): Promise<void> {
    const q = quotaTexts(this.locale);
    const tier = cmd.model ?? this.o.defaults.model;
    const duration = cmd.duration ?? this.o.defaults.duration;
    const refuse = async (text: string) => {
      await this.reply(msg, text).catch((err) =>
        this.log.error({ err: String(err), messageId: msg.messageId }, 'could not send a refusal'),
      );
      this.done(msg);
      await this.store.commit();
    };
    if (this.store.data.paused) return refuse(q.paused(this.store.data.paused.reason));

    // 1. The image, if any: this message's own, or the one it replies to.
    let image: { messageId: string; imageKey: string; bytes: Buffer } | undefined;
    try {
      image = await this.findImage(msg);
    } catch (err) {
      this.log.warn({ err: String(err), messageId: msg.messageId }, 'could not fetch the image');
      return refuse(q.imageUnreadable);
    }

    // 2. Everything Jimeng would reject is rejected now, before any money is reserved.
    let model: ModelInfo;
    let width = 0;
    let height = 0;
    try {
      model = resolveModel(tier, !!image);
      const ratio = image ? undefined : (cmd.ratio ?? this.o.defaults.ratio);
      const v = validateRequest({
        model: model.reqKey,
        prompt: cmd.prompt,
        duration,
        ...(ratio ? { ratio } : {}),
        ...(cmd.seed !== undefined ? { seed: cmd.seed } : {}),
        ...(image ? { image: { bytes: image.bytes } } : {}),
      });
      model = v.model;
      if (image) {
        const info = imageInfo(image.bytes);
        width = info.width ?? 0;
        height = info.height ?? 0;
      }
    } catch (err) {
      if (isJimengError(err)) return refuse(`⚠️ ${err.userMessage}`);
      throw err;
    }

    // 3. Quota check and reservation in one synchronous step: two racing requests cannot both pass.
    const now = this.now();
    const day = dayOf(now, this.o.policy.timezone);
    const costYuan = priceOf(model, duration);
    const data = this.store.data;
    const inFlight = this.store.activeJobCount(msg.senderOpenId);
    const refusal = checkQuota(data, this.o.policy, {
      user: msg.senderOpenId,
      chat: msg.chatId,
      day,
      yuan: costYuan,
      inFlight,
    });
    if (refusal) return refuse(q.refusal(refusal));

    const id = this.store.nextJobId();
    const job: Job = {
      id,
      messageId: msg.messageId,
      chatId: msg.chatId,
      chatType: msg.chatType,
      userOpenId: msg.senderOpenId,
      prompt: cmd.prompt,
      tier,
      reqKey: model.reqKey,
      duration,
      ...(image ? {} : { ratio: cmd.ratio ?? this.o.defaults.ratio }),
      ...(cmd.seed !== undefined ? { seed: cmd.seed } : {}),
      ...(image
        ? {
            image: {
              messageId: image.messageId,
              imageKey: image.imageKey,
              file: this.store.imagePath(id),
              width,
              height,
            },
          }
        : {}),
      state: 'queued',
      day,
      costYuan,
      charge: 'reserved',
      busyRetries: 0,
      polls: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.store.addJob(job);
    reserve(data, job, now);
    this.done(msg);
    // The runner leaves the job alone until its card is out, so the card's first state is "queued".
    this.o.runner.hold(job);
    if (image && job.image) await writeFile(job.image.file, image.bytes);
    await this.store.commit();
    this.log.info(
      { jobId: id, messageId: msg.messageId, state: 'queued', model: model.reqKey },
      `job ${id} → queued`,
    );
    void this.cards.add(async () => {
      await this.sendCard(job);
      this.o.runner.enqueue(job);
    });
  }

  private async sendCard(job: Job): Promise<void> {
    try {
      const card = jobCard(
        job,
        { phase: 'queued', queuePosition: this.o.runner.queuePosition(job) },
        this.locale,
      );
      const sent = await this.o.messenger.replyCard(job.messageId, card, {
        uuid: `${job.id}-card`,
        inThread: true,
      });
      this.store.update(job, { cardMessageId: sent.messageId });
      await this.store.commit();
    } catch (err) {
      this.log.warn({ err: String(err), jobId: job.id }, 'could not send the progress card');
    }
  }

  private async findImage(msg: IncomingMessage) {
    let source: { messageId: string; imageKey: string } | undefined;
    if (msg.imageKeys[0]) source = { messageId: msg.messageId, imageKey: msg.imageKeys[0] };
    else if (msg.parentId) {
      const parent = await this.o.messenger.getMessage(msg.parentId);
      const key = parent ? imageKeyOf(parent.msgType, parent.content) : undefined;
      if (key) source = { messageId: msg.parentId, imageKey: key };
    }
    if (!source) return undefined;
    const bytes = await this.o.messenger.downloadImage(source.messageId, source.imageKey);
    return { ...source, bytes };
  }
}

/** The first image of an image or post message's content (a reply to anything else is text-to-video). */
export function imageKeyOf(msgType: string, content: unknown): string | undefined {
  if (!content || typeof content !== 'object') return undefined;
  const c = content as Record<string, unknown>;
  if (msgType === 'image') return typeof c.image_key === 'string' ? c.image_key : undefined;
  if (msgType !== 'post') return undefined;
  const body = Array.isArray(c.content)
    ? c
    : (Object.values(c).find((v) => v && typeof v === 'object') as typeof c);
  const rows = Array.isArray(body?.content) ? (body.content as unknown[]) : [];
  for (const row of rows)
    for (const el of Array.isArray(row) ? row : [])
      if (el && typeof el === 'object' && (el as { tag?: string }).tag === 'img')
        return (el as { image_key?: string }).image_key;
  return undefined;
}
