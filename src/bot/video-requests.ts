import { isJimengError } from '../jimeng/errors.js';
import { imageInfo } from '../jimeng/image-info.js';
import type { ModelCatalog, ModelInfo } from '../jimeng/models.js';
import { validateRequest } from '../jimeng/validate.js';
import type { ChatMessage } from '../lark/events.js';
import type { Messenger } from '../lark/messenger.js';
import type { JobDraft } from '../store/port.js';
import type { JobImage } from '../store/records.js';
import type { CommandContext, Reply } from './commands/command.js';
import { dayOf } from './day-of.js';
import type { VideoArgs } from './parse/video-args.js';

export interface VideoRequestsOptions {
  messenger: Pick<Messenger, 'getMessage' | 'downloadImage'>;
  /** The models with the configured prices. */
  catalog: ModelCatalog;
  defaults: { model: '720p' | '1080p' | 'pro'; duration: 5 | 10; ratio: string };
  /** A job was queued: the runner takes it from here (its card is the answer). */
  onQueued(jobId: string): void;
}

interface FoundImage extends JobImage {
  bytes: Buffer;
}

/**
 * Turns a `/video` into a job: finds the image (the message's own, or the one it replies to), rejects
 * whatever Jimeng would reject before any money is reserved, then creates the job with its reservation
 * in one store step. A refusal is the reply; an accepted job is answered by its progress card.
 */
export class VideoRequests {
  constructor(private readonly o: VideoRequestsOptions) {}

  async request(ctx: CommandContext, args: VideoArgs): Promise<Reply> {
    const { store, t, msg } = ctx;
    const paused = await store.paused();
    if (paused) return { text: t.refusal({ code: 'PAUSED', reason: paused.reason }) };

    let image: FoundImage | undefined;
    try {
      image = await this.findImage(msg);
    } catch (err) {
      ctx.log.warn({ err, messageId: msg.messageId }, 'could not fetch the image');
      return { text: t.imageUnreadable };
    }

    const tier = args.model ?? this.o.defaults.model;
    const duration = args.duration ?? this.o.defaults.duration;
    const ratio = image ? undefined : (args.ratio ?? this.o.defaults.ratio);
    let model: ModelInfo;
    try {
      model = validateRequest(
        {
          model: tier,
          prompt: args.prompt,
          duration,
          ...(ratio ? { ratio } : {}),
          ...(args.seed !== undefined ? { seed: args.seed } : {}),
          ...(image ? { image: { bytes: image.bytes } } : {}),
        },
        this.o.catalog,
      ).model;
    } catch (err) {
      if (!isJimengError(err)) throw err;
      return { text: t.invalidRequest(err.code, err.details) };
    }

    const draft: JobDraft = {
      sourceId: msg.messageId,
      messageId: msg.messageId,
      chatId: msg.chatId,
      chatType: msg.chatType,
      userOpenId: msg.senderOpenId,
      prompt: args.prompt,
      tier,
      reqKey: model.reqKey,
      duration,
      ...(ratio ? { ratio } : {}),
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
      ...(image
        ? {
            images: [
              {
                messageId: image.messageId,
                imageKey: image.imageKey,
                width: image.width,
                height: image.height,
              },
            ],
          }
        : {}),
      day: dayOf(ctx.now, ctx.timezone),
      costYuan: this.o.catalog.priceOf(model, duration),
    };
    const r = await store.createJob(draft, ctx.policy, {
      now: ctx.now,
      inboxId: msg.messageId,
      ...(image ? { images: [image.bytes] } : {}),
    });
    if (!r.ok) return { text: t.refusal(r.refusal) };
    ctx.log.info(
      { jobId: r.job.id, messageId: msg.messageId, state: 'queued', model: model.reqKey },
      `job ${r.job.id} → queued`,
    );
    this.o.onQueued(r.job.id);
    return undefined;
  }

  private async findImage(msg: ChatMessage): Promise<FoundImage | undefined> {
    let source: { messageId: string; imageKey: string } | undefined;
    if (msg.imageKeys[0]) source = { messageId: msg.messageId, imageKey: msg.imageKeys[0] };
    else if (msg.parentId) {
      const parent = await this.o.messenger.getMessage(msg.parentId);
      const key = parent?.imageKeys[0];
      if (key) source = { messageId: msg.parentId, imageKey: key };
    }
    if (!source) return undefined;
    const bytes = await this.o.messenger.downloadImage(source.messageId, source.imageKey);
    const info = imageInfo(bytes);
    return { ...source, bytes, width: info.width ?? 0, height: info.height ?? 0 };
  }
}
