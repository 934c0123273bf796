import type { ModelCatalog } from '../jimeng/models.js';
import type { Messenger } from '../lark/messenger.js';
import type { JobDraft } from '../store/port.js';
import type { CommandContext, Reply } from './commands/command.js';
import { dayOf } from './day-of.js';
import { findImages } from './find-images.js';
import { findCameraTemplate } from './parse/camera.js';
import type { VideoArgs } from './parse/video-args.js';
import { checkSpec, randomSeed, type VideoSpec } from './video-spec.js';

export interface VideoRequestsOptions {
  messenger: Pick<Messenger, 'getMessage' | 'downloadImage'>;
  /** The models with the configured prices. */
  catalog: ModelCatalog;
  defaults: { model: '720p' | '1080p' | 'pro'; duration: 5 | 10; ratio: string };
  /** A job was queued: the runner takes it from here (its card is the answer). */
  onQueued(jobId: string): void;
  /** For the bot's own seeds (tests pass a fixed one). */
  random?: () => number;
}

/**
 * Turns a `/video` into a job: finds the images (the replied-to message's and the command's own; two make
 * a first + last frame video), resolves a camera template, rejects whatever Jimeng would reject before
 * any money is reserved, picks a seed when the user gave none, then creates the job with its reservation
 * in one store step. A refusal is the reply; an accepted job is answered by its progress card.
 */
export class VideoRequests {
  constructor(private readonly o: VideoRequestsOptions) {}

  async request(ctx: CommandContext, args: VideoArgs): Promise<Reply> {
    const { store, t, msg } = ctx;
    const paused = await store.paused();
    if (paused) return { text: t.refusal({ code: 'PAUSED', reason: paused.reason }) };

    const template = args.camera !== undefined ? findCameraTemplate(args.camera) : undefined;
    if (args.camera !== undefined && !template)
      return {
        text: t.parseError({
          type: 'error',
          code: 'BAD_CAMERA',
          params: { value: args.camera.slice(0, 40) },
        }),
      };

    let found: Awaited<ReturnType<typeof findImages>>;
    try {
      found = await findImages(msg, this.o.messenger);
    } catch (err) {
      ctx.log.warn({ err, messageId: msg.messageId }, 'could not fetch the image');
      return { text: t.imageUnreadable };
    }
    if (template && found.images.length === 0) return { text: t.invalidRequest('CAMERA_NEEDS_IMAGE') };

    const spec: VideoSpec = {
      prompt: args.prompt,
      tier: args.model ?? this.o.defaults.model,
      duration: args.duration ?? this.o.defaults.duration,
      ratio: args.ratio ?? this.o.defaults.ratio,
      seed: args.seed !== undefined && args.seed >= 0 ? args.seed : randomSeed(this.o.random),
      // Camera motion takes one image; otherwise one (first frame) or two (first + last frame).
      images: template ? found.images.slice(0, 1) : found.images,
      ...(template ? { camera: { template: template.id, strength: args.strength ?? 'medium' } } : {}),
    };
    const checked = checkSpec(spec, this.o.catalog);
    if (!checked.ok) return { text: t.invalidRequest(checked.code, checked.details) };

    const draft: JobDraft = {
      sourceId: msg.messageId,
      messageId: msg.messageId,
      chatId: msg.chatId,
      chatType: msg.chatType,
      userOpenId: msg.senderOpenId,
      prompt: spec.prompt,
      tier: spec.tier,
      reqKey: checked.model.reqKey,
      duration: spec.duration,
      ...(spec.images.length ? {} : { ratio: spec.ratio }),
      seed: spec.seed,
      ...(spec.images.length ? { images: spec.images.map(({ bytes: _b, ...meta }) => meta) } : {}),
      ...(spec.camera ? { camera: spec.camera } : {}),
      day: dayOf(ctx.now, ctx.timezone),
      costYuan: checked.costYuan,
    };
    const r = await store.createJob(draft, ctx.policy, {
      now: ctx.now,
      inboxId: msg.messageId,
      images: spec.images.map((i) => i.bytes),
    });
    // Another replica made this message's job (and answers it).
    if (!r.ok) return 'handledElsewhere' in r ? undefined : { text: t.refusal(r.refusal) };
    ctx.log.info(
      { jobId: r.job.id, messageId: msg.messageId, state: 'queued', model: r.job.reqKey, seed: r.job.seed },
      `job ${r.job.id} → queued`,
    );
    this.o.onQueued(r.job.id);
    // More than two images: say which are used (the card is the rest of the answer).
    if (found.total > spec.images.length && !template)
      return { text: t.imagesUsed(found.total, spec.images.length) };
    return undefined;
  }
}
