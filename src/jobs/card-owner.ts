import type { Clock } from '../clock.js';
import { isLarkApiError } from '../lark/lark-error.js';
import type { Messenger } from '../lark/messenger.js';
import type { Logger } from '../log.js';
import type { StorePort } from '../store/port.js';
import type { Job } from '../store/records.js';
import { backoffMs } from './backoff.js';
import type { Failures } from './failures.js';
import { type JobReplies, ReplyTargetRecalled } from './job-replies.js';
import { KeyedQueue } from './keyed-queue.js';
import type { JobPresenter } from './presenter.js';
import { Pump } from './pump.js';

export interface CardOwnerOptions {
  store: StorePort;
  messenger: Pick<Messenger, 'patchCard'>;
  /** Where the first card (and a failure told in text) goes: the thread, or the chat. */
  replies: JobReplies;
  failures: Failures;
  presenter: JobPresenter;
  clock: Clock;
  log: Logger;
  /**
   * At most one card send this often (ms). Feishu allows an app ~1,000 sends a minute; cards keep to
   * ~15/s so answers still have room during a burst, spread out rather than 15 at the top of each second
   * (a batch is CPU that every webhook ack arriving then would wait behind). Default 67.
   */
  paceMs?: number;
  /** A failed send is retried this many times (with backoff), then given up. Default 8. */
  maxAttempts?: number;
  /** Called once a final card (failed, cancelled) has been sent: the user has their answer. */
  onFinalSent?(job: Job): void;
}

const FINAL = new Set(['failed', 'cancelled']);
const LEASE_MS = 60_000;

/**
 * The one owner of every job's progress card: the first send (a reply in the thread) and every update
 * after it, in order. Whoever changes a job in a way the card should show bumps its `card.version`; this
 * sends the card as the job stands when the send starts and records the version sent, so updates that
 * pile up coalesce into one, a slow update never lands after a newer one (one send per job at a time),
 * and after a restart a card that was behind is sent once, never twice (the first send's uuid is
 * derived from the job's source message).
 */
export class CardOwner {
  private readonly o: Required<Omit<CardOwnerOptions, 'onFinalSent'>> & Pick<CardOwnerOptions, 'onFinalSent'>;
  private readonly queue: KeyedQueue;
  private readonly pump: Pump;
  private stopped = false;

  constructor(opts: CardOwnerOptions) {
    this.o = { paceMs: 67, maxAttempts: 8, ...opts };
    this.queue = new KeyedQueue({
      concurrency: 5,
      interval: this.o.paceMs,
      intervalCap: 1,
      onError: (err, key) => this.o.log.error({ err, jobId: key }, 'card send crashed'),
    });
    this.pump = new Pump(this.o.clock, this.o.log, 'card sends', () => this.run());
  }

  wake(): void {
    this.pump.wake();
  }

  private async run(): Promise<void> {
    if (this.stopped || this.queue.free === 0) return;
    const now = this.o.clock.now();
    const due = await this.o.store.claimCards({ now, limit: this.queue.free, leaseMs: LEASE_MS });
    for (const job of due)
      this.queue.add(
        job.id,
        () => this.send(job),
        () => this.wake(),
      );
  }

  private async send(job: Job): Promise<void> {
    const { store, messenger, presenter, clock } = this.o;
    const now = clock.now();
    if (job.undeliverable) {
      await store.cardSent(job.id, { ok: true, version: job.card.version }, now);
      return;
    }
    const queuePosition = job.state === 'queued' ? await store.queuePosition(job.id) : 0;
    const card = presenter.card(job, { queuePosition, now });
    try {
      let messageId = job.card.messageId;
      if (messageId) await messenger.patchCard(messageId, card);
      else messageId = (await this.o.replies.send(job, { kind: 'card', card }, 'card')).messageId;
      await store.cardSent(job.id, { ok: true, version: job.card.version, messageId }, clock.now());
      if (FINAL.has(job.state)) this.o.onFinalSent?.(job);
    } catch (err) {
      if (err instanceof ReplyTargetRecalled) {
        // The command was recalled before its job reached Jimeng: taken back, refunded, nothing spent.
        this.o.log.info(
          { jobId: job.id, messageId: job.messageId },
          `job ${job.id} → cancelled (its command was recalled)`,
        );
        await store.cardSent(job.id, { ok: true, version: err.job.card.version }, clock.now());
        this.o.failures.onChange(err.job);
        return;
      }
      if (isLarkApiError(err) && err.code === 'BOT_NOT_IN_CHAT') {
        await store.cardSent(job.id, { ok: true, version: job.card.version }, clock.now());
        await this.o.failures.undeliverable(job, 'the bot is not in the chat (230002)');
        return;
      }
      // The user must learn that it failed even when the card cannot say so: answer in text (once: the
      // uuid is the job's), and go on trying to bring the card up to date.
      if (job.state === 'failed') await this.answerInText(job);
      const attempts = job.card.attempts ?? 0;
      const retryable = !isLarkApiError(err) || err.retryable;
      if (retryable && attempts + 1 < this.o.maxAttempts) {
        const retryAt = clock.now() + backoffMs(attempts, 1_000, 60_000);
        this.o.log.warn({ err, jobId: job.id, attempts: attempts + 1 }, 'card update failed; will retry');
        await store.cardSent(job.id, { ok: false, retryAt }, clock.now());
        this.pump.wakeAt(retryAt);
        return;
      }
      // Not going to work (message recalled, bot removed, card refused): stop trying this version.
      this.o.log.error({ err, jobId: job.id }, 'card update failed for good; giving up on this card version');
      await store.cardSent(job.id, { ok: true, version: job.card.version }, clock.now());
    }
  }

  private async answerInText(job: Job): Promise<void> {
    try {
      await this.o.replies.send(job, { kind: 'text', text: this.o.presenter.failureText(job) }, 'final');
      this.o.onFinalSent?.(job);
    } catch (err) {
      this.o.log.error({ err, jobId: job.id }, 'could not tell the user about a failure either; will retry');
    }
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
