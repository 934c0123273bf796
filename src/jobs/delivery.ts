import type { Clock } from '../clock.js';
import { isLarkApiError } from '../lark/lark-error.js';
import type { Messenger } from '../lark/messenger.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { StorePort } from '../store/port.js';
import type { Job } from '../store/records.js';
import { readCapped } from '../util/read-capped.js';
import { backoffMs } from './backoff.js';
import type { Failures } from './failures.js';
import { jobError } from './job-error.js';
import { logState } from './job-log.js';
import type { JobReplies } from './job-replies.js';
import { KeyedQueue } from './keyed-queue.js';
import type { JobPresenter } from './presenter.js';
import { Pump } from './pump.js';

export interface DeliveryOptions {
  store: StorePort;
  messenger: Pick<Messenger, 'uploadVideo'>;
  replies: JobReplies;
  presenter: JobPresenter;
  failures: Failures;
  clock: Clock;
  log: Logger;
  metrics?: Metrics;
  fetch: typeof fetch;
  /** Largest video re-hosted into Feishu (its limit is 30 MB); bigger ones are answered with the link. */
  maxVideoBytes: number;
  /** Attempts before giving up, and the first backoff (doubling). Defaults 6 and 30 s (≈ 30 min in all). */
  maxAttempts?: number;
  retryBaseMs?: number;
  onDelivered(job: Job): void;
}

/** Jimeng's video links work for an hour; past this age one is not offered as if it worked. */
const LINK_TTL_MS = 55 * 60_000;
const LEASE_MS = 5 * 60_000;

/**
 * Brings finished videos into the chat: download from Jimeng, upload to Feishu (the file key is kept, so
 * a retry never downloads again), and a media reply in the thread, so it plays inline and outlives the
 * one-hour link. Failures are retried with backoff a bounded number of times.
 */
export class Delivery {
  private readonly queue: KeyedQueue;
  private readonly pump: Pump;
  private stopped = false;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;

  constructor(private readonly o: DeliveryOptions) {
    this.maxAttempts = o.maxAttempts ?? 6;
    this.retryBaseMs = o.retryBaseMs ?? 30_000;
    this.queue = new KeyedQueue({
      concurrency: 2,
      onError: (err, key) => o.log.error({ err, jobId: key }, 'delivery crashed'),
    });
    this.pump = new Pump(this.o.clock, this.o.log, 'deliveries', () => this.run());
  }

  wake(): void {
    this.pump.wake();
  }

  private async run(): Promise<void> {
    if (this.stopped || this.queue.free === 0) return;
    const now = this.o.clock.now();
    const due = await this.o.store.claimDeliveries({ now, limit: this.queue.free, leaseMs: LEASE_MS });
    for (const job of due)
      this.queue.add(
        job.id,
        () => this.deliver(job),
        () => this.wake(),
      );
  }

  private async deliver(job: Job): Promise<void> {
    const { store, messenger, clock } = this.o;
    const url = job.videoUrl;
    if (!url) return;
    let fileKey = job.fileKey;
    try {
      if (!fileKey) {
        const bytes = await this.download(url);
        if (!bytes) return await this.answerWithLink(job, url, 'too large to re-host');
        fileKey = await messenger.uploadVideo(bytes, `${job.id}.mp4`, job.duration * 1000);
        await store.transition(job.id, { from: ['running'], set: { fileKey } }, clock.now());
      }
      await this.o.replies.send({ ...job, fileKey }, { kind: 'media', fileKey }, 'video');
    } catch (err) {
      if (err instanceof VideoGone) {
        // The link is dead (expired, or Jimeng dropped it): there is nothing left to send, not even the link.
        this.o.metrics?.undeliverable.inc();
        this.o.log.error(
          { jobId: job.id, httpStatus: err.status },
          'the video link is gone before it could be re-hosted',
        );
        await this.o.failures.fail(
          job,
          ['running'],
          jobError('VIDEO_EXPIRED', { detail: err.message }),
          undefined,
        );
        return;
      }
      if (isLarkApiError(err) && err.code === 'BOT_NOT_IN_CHAT') {
        await this.o.failures.undeliverable(job, 'the bot is not in the chat (230002)');
        return;
      }
      await this.retryOrGiveUp({ ...job, ...(fileKey ? { fileKey } : {}) }, err);
      return;
    }
    await this.delivered(job, false);
  }

  private async retryOrGiveUp(job: Job, err: unknown): Promise<void> {
    const attempts = (job.delivery?.attempts ?? 0) + 1;
    const retryable = !isLarkApiError(err) || err.retryable;
    const now = this.o.clock.now();
    if (retryable && attempts < this.maxAttempts) {
      const nextAt = now + backoffMs(attempts - 1, this.retryBaseMs, 10 * 60_000);
      this.o.log.warn({ err, jobId: job.id, attempts }, 'video delivery failed; will retry');
      await this.o.store.transition(
        job.id,
        {
          from: ['running'],
          set: { delivery: { attempts, nextAt, lastError: String(err) } },
          release: 'delivery',
        },
        now,
      );
      this.pump.wakeAt(nextAt);
      return;
    }
    if (!job.fileKey && job.doneAt !== undefined && now - job.doneAt < LINK_TTL_MS) {
      await this.answerWithLink(job, job.videoUrl!, `re-hosting failed: ${String(err)}`);
      return;
    }
    this.o.metrics?.undeliverable.inc();
    this.o.log.error({ err, jobId: job.id, attempts }, 'video could not be delivered; giving up');
    await this.o.failures.fail(
      job,
      ['running'],
      jobError(job.fileKey ? 'UNDELIVERABLE' : 'VIDEO_EXPIRED', { detail: String(err) }),
      undefined,
    );
  }

  /** The video could not be re-hosted: the link is the answer, while it still works. */
  private async answerWithLink(job: Job, url: string, why: string): Promise<void> {
    this.o.log.warn({ jobId: job.id, why }, 'answering with the video link');
    await this.o.replies.send(job, { kind: 'text', text: this.o.presenter.linkOnly(job, url) }, 'link');
    await this.delivered(job, true);
  }

  private async delivered(job: Job, linkOnly: boolean): Promise<void> {
    const now = this.o.clock.now();
    const done = await this.o.store.transition(
      job.id,
      {
        from: ['running'],
        to: 'delivered',
        charge: 'deliver',
        set: { answeredAt: now, linkOnly },
        release: 'delivery',
        card: true,
      },
      now,
    );
    if (!done) return;
    logState(this.o.log, done, 'delivered', { rehosted: !linkOnly });
    this.o.metrics?.timeToAnswer.observe({ outcome: 'delivered' }, (now - done.createdAt) / 1000);
    this.o.onDelivered(done);
  }

  /** The video's bytes, or undefined when it is too big to re-host. */
  private async download(url: string): Promise<Buffer | undefined> {
    const res = await this.o.fetch(url, { signal: AbortSignal.timeout(60_000) });
    if ([403, 404, 410].includes(res.status)) throw new VideoGone(res.status);
    if (!res.ok || !res.body) throw new Error(`video download answered HTTP ${res.status}`);
    if (Number(res.headers.get('content-length') ?? 0) > this.o.maxVideoBytes) {
      await res.body.cancel();
      return undefined;
    }
    return readCapped(res.body as unknown as AsyncIterable<Uint8Array>, this.o.maxVideoBytes);
  }

  /** Looks for work now and waits until everything it started is done. */
  async settle(): Promise<void> {
    await this.pump.runNow();
    await this.queue.onIdle();
  }

  idle(): Promise<void> {
    return this.queue.onIdle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pump.stop();
    await this.queue.stop();
  }
}

/** The video's link answers that it is gone (expired, or never there): retrying cannot help. */
class VideoGone extends Error {
  override readonly name = 'VideoGone';
  constructor(readonly status: number) {
    super(`video download answered HTTP ${status}`);
  }
}
