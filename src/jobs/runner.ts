import { type Clock, systemClock, type TimerHandle } from '../clock.js';
import type { Messenger } from '../lark/messenger.js';
import { type Logger, silentLogger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { StorePort } from '../store/port.js';
import type { Job } from '../store/records.js';
import { CardOwner } from './card-owner.js';
import { Delivery } from './delivery.js';
import { Failures } from './failures.js';
import type { JimengAccess } from './jimeng-access.js';
import { JobReplies } from './job-replies.js';
import { Poller } from './poller.js';
import type { JobPresenter } from './presenter.js';
import { Recovery } from './recovery.js';
import { Submitter } from './submitter.js';

export interface JobRunnerOptions {
  store: StorePort;
  jimeng: JimengAccess;
  messenger: Pick<
    Messenger,
    | 'replyCard'
    | 'patchCard'
    | 'replyText'
    | 'replyMedia'
    | 'sendCard'
    | 'sendText'
    | 'sendMedia'
    | 'uploadVideo'
    | 'downloadImage'
  >;
  presenter: JobPresenter;
  logger?: Logger;
  metrics?: Metrics;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Starting guess of how long a generation takes; refined from what the poller sees. Default 60 s. */
  expectedGenerationMs?: number;
  /** Shortest wait between two polls of one task. Default 2 s. */
  minPollMs?: number;
  /** Give up on a task after this long. Default 1 h. */
  taskTimeoutMs?: number;
  /** Largest video re-hosted into Feishu. Default 30 MB (Feishu's limit). */
  maxVideoBytes?: number;
  /** A queued job answered "busy" waits this long before trying again. Default 15 s. */
  busyRetryMs?: number;
  maxBusyRetries?: number;
  /** Card sends at most this often (ms). Default 67. */
  cardPaceMs?: number;
  /** Delivery retries: attempts and the first backoff. Defaults 6 and 30 s. */
  deliveryAttempts?: number;
  deliveryRetryMs?: number;
  /**
   * How often every loop looks again whatever woke it (work another process left, lost wakes, submits
   * whose submitter stopped). Default 5 s.
   */
  sweepMs?: number;
  /** At start, look at every running task within a second (default true; false with replicas). */
  resumePollsSoon?: boolean;
}

/**
 * Drives persisted jobs through queued → submitting → running → delivered | failed | cancelled. It only
 * wires the parts, each the owner of one step: the submitter, one poller for all tasks, delivery, and the
 * card owner (the one sender of every job's card), and the recovery of submits whose submitter stopped.
 * Every step is a store transition before and after the call it guards, so a restart (or another replica)
 * resumes where it stopped.
 */
export class JobRunner {
  readonly cards: CardOwner;
  readonly submitter: Submitter;
  readonly poller: Poller;
  readonly delivery: Delivery;
  private readonly store: StorePort;
  private readonly recovery: Recovery;
  private readonly clock: Clock;
  private readonly log: Logger;
  private sweepTimer: TimerHandle | undefined;
  private readonly sweepMs: number;
  private readonly metrics: Metrics | undefined;
  private stopped = true;

  constructor(o: JobRunnerOptions) {
    const clock = o.clock ?? systemClock;
    const log = o.logger ?? silentLogger;
    this.store = o.store;
    this.clock = clock;
    this.log = log;
    this.sweepMs = o.sweepMs ?? 5_000;
    const failures = new Failures({
      store: o.store,
      clock,
      log,
      ...(o.metrics ? { metrics: o.metrics } : {}),
      onFailed: () => {
        this.cards.wake();
        this.submitter.wake();
      },
    });
    this.recovery = new Recovery({
      store: o.store,
      failures,
      clock,
      log,
      ...(o.resumePollsSoon !== undefined ? { resumePollsSoon: o.resumePollsSoon } : {}),
    });
    const replies = new JobReplies({
      store: o.store,
      messenger: o.messenger,
      presenter: o.presenter,
      clock,
      log,
    });
    this.cards = new CardOwner({
      store: o.store,
      messenger: o.messenger,
      replies,
      failures,
      presenter: o.presenter,
      clock,
      log,
      ...(o.cardPaceMs !== undefined ? { paceMs: o.cardPaceMs } : {}),
      onFinalSent: (job) => void this.answered(job),
    });
    this.submitter = new Submitter({
      store: o.store,
      jimeng: o.jimeng,
      messenger: o.messenger,
      failures,
      clock,
      log,
      busyRetryMs: o.busyRetryMs ?? 15_000,
      maxBusyRetries: o.maxBusyRetries ?? 40,
      firstPollAt: (now, account) => this.poller.firstPollAt(now, account),
      onSubmitted: () => {
        this.cards.wake();
        this.poller.wake();
      },
      onCardChange: () => this.cards.wake(),
    });
    this.poller = new Poller({
      store: o.store,
      jimeng: o.jimeng,
      failures,
      clock,
      log,
      expectedGenerationMs: o.expectedGenerationMs ?? 60_000,
      minPollMs: o.minPollMs ?? 2_000,
      taskTimeoutMs: o.taskTimeoutMs ?? 60 * 60_000,
      onDone: () => this.delivery.wake(),
      onCardChange: () => this.cards.wake(),
    });
    this.delivery = new Delivery({
      store: o.store,
      messenger: o.messenger,
      replies,
      presenter: o.presenter,
      failures,
      clock,
      log,
      ...(o.metrics ? { metrics: o.metrics } : {}),
      fetch: o.fetch ?? globalThis.fetch,
      maxVideoBytes: o.maxVideoBytes ?? 30 * 1024 * 1024,
      ...(o.deliveryAttempts !== undefined ? { maxAttempts: o.deliveryAttempts } : {}),
      ...(o.deliveryRetryMs !== undefined ? { retryBaseMs: o.deliveryRetryMs } : {}),
      onDelivered: () => {
        this.cards.wake();
        this.submitter.wake();
      },
    });
    this.metrics = o.metrics;
  }

  /** Resumes whatever a previous process (or a dead replica) left behind, then starts the loops. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.recovery.resume();
    this.sweep();
  }

  /**
   * Something changed outside the runner (a new job, a cancel, a recall): the card owner and the
   * submitter look again. (Polls and deliveries only change from inside the runner, and the sweep wakes
   * every loop anyway: waking them for each new job would only make them scan for nothing.)
   */
  wake(): void {
    if (this.stopped) return;
    this.cards.wake();
    this.submitter.wake();
  }

  private sweep(): void {
    this.wake();
    this.poller.wake();
    this.delivery.wake();
    this.recovery.failOrphans().catch((err) => this.log.error({ err }, 'failing orphaned submits failed'));
    this.clock.clearTimeout(this.sweepTimer);
    if (this.stopped) return;
    this.sweepTimer = this.clock.setTimeout(() => this.sweep(), this.sweepMs);
    this.sweepTimer.unref?.();
  }

  /** A final card (failed or cancelled) reached the user. */
  private async answered(job: Job): Promise<void> {
    if (job.answeredAt !== undefined) return;
    const now = this.clock.now();
    const done = await this.store.transition(
      job.id,
      { from: ['failed', 'cancelled'], set: { answeredAt: now } },
      now,
    );
    if (done && done.state === 'failed')
      this.metrics?.timeToAnswer.observe({ outcome: 'failed' }, (now - done.createdAt) / 1000);
  }

  /**
   * Every loop looks for work now, until a round starts nothing: then nothing is due or in flight (a
   * deterministic point for tests to check that nothing else happens).
   */
  async settle(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const before = JSON.stringify(await this.store.jobCounts());
      await this.submitter.settle();
      await this.poller.settle();
      await this.delivery.settle();
      await this.cards.settle();
      if (JSON.stringify(await this.store.jobCounts()) === before) return;
    }
  }

  /** Resolves when nothing is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([this.submitter.idle(), this.poller.idle(), this.delivery.idle(), this.cards.idle()]);
  }

  /** Stops taking new work and waits for calls in flight (their results are persisted). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.sweepTimer);
    await Promise.all([this.submitter.stop(), this.poller.stop(), this.delivery.stop(), this.cards.stop()]);
  }
}
