import type { Clock } from '../clock.js';
import { isAccountRefusal } from '../jimeng/account-pool.js';
import { isJimengError, type JimengError } from '../jimeng/errors.js';
import type { Messenger } from '../lark/messenger.js';
import type { Logger } from '../log.js';
import type { StorePort } from '../store/port.js';
import type { Job } from '../store/records.js';
import type { Failures } from './failures.js';
import type { JimengAccess } from './jimeng-access.js';
import { jobError } from './job-error.js';
import { logState } from './job-log.js';
import { KeyedQueue } from './keyed-queue.js';
import { Pump } from './pump.js';

export interface SubmitterOptions {
  store: StorePort;
  jimeng: JimengAccess;
  messenger: Pick<Messenger, 'downloadImage'>;
  failures: Failures;
  clock: Clock;
  log: Logger;
  /** A queued job answered "busy" waits this long before trying again. */
  busyRetryMs: number;
  maxBusyRetries: number;
  /** When a new task's first look is due (the account that took it: each has its own QPS). */
  firstPollAt(now: number, account?: string): number;
  /** When a task was created: its card changes, the poller has a new task. */
  onSubmitted(job: Job): void;
  /** The job went back to the queue (busy) or changed so its card must say so. */
  onCardChange(): void;
}

/**
 * Moves queued jobs to Jimeng as slots free up: the store hands out jobs (fairly, within every account's
 * concurrency) already marked `submitting`, so a restart never submits one twice; each submit's outcome is
 * one transition: running (quota consumed), back to the queue (Jimeng busy, or one account of several
 * refused it; nothing created), or failed. Jobs of a model no account may run any more fail at once.
 */
export class Submitter {
  private readonly queue: KeyedQueue;
  private readonly pump: Pump;
  private stopped = false;

  constructor(private readonly o: SubmitterOptions) {
    const slots = o.jimeng.accounts().reduce((n, a) => n + a.maxInFlight, 0);
    this.queue = new KeyedQueue({
      concurrency: Math.max(1, slots),
      onError: (err, key) => o.log.error({ err, jobId: key }, 'submit crashed'),
    });
    this.pump = new Pump(this.o.clock, this.o.log, 'submits', () => this.run());
  }

  wake(): void {
    this.pump.wake();
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    await this.failUnrunnable();
    if (this.queue.free === 0) return;
    const now = this.o.clock.now();
    const claimed = await this.o.store.claimSubmits({
      now,
      accounts: this.o.jimeng.accounts(),
      limit: this.queue.free,
    });
    // `follow`: a job requeued by an account that refused it can be claimed again in the same group commit
    // that put it back, before its previous turn has left the queue; dropped, it would sit claimed (as
    // submitting) until its lease ran out.
    for (const job of claimed)
      this.queue.add(
        job.id,
        () => this.submit(job),
        () => this.wake(),
        true,
      );
  }

  private async submit(job: Job): Promise<void> {
    const { store, clock, log } = this.o;
    logState(log, job, 'submitting', { account: job.account });
    let images: Uint8Array[];
    try {
      images = await this.imagesOf(job);
    } catch (err) {
      await this.o.failures.fail(job, ['submitting'], jobError('IMAGE_LOST', { detail: String(err) }));
      return;
    }
    try {
      const r = await this.o.jimeng.client(job.account).submit({
        model: job.reqKey,
        prompt: job.prompt,
        duration: job.duration,
        ...(job.ratio && !images.length ? { ratio: job.ratio } : {}),
        ...(job.seed !== undefined ? { seed: job.seed } : {}),
        ...(images[0]
          ? { images: { first: { bytes: images[0] }, ...(images[1] ? { last: { bytes: images[1] } } : {}) } }
          : {}),
        ...(job.camera ? { camera: job.camera } : {}),
      });
      const now = clock.now();
      const running = await store.transition(
        job.id,
        {
          from: ['submitting'],
          to: 'running',
          set: {
            taskId: r.taskId,
            submittedAt: now,
            polls: 0,
            retryAt: undefined,
            nextPollAt: this.o.firstPollAt(now, job.account),
          },
          charge: 'consume',
          card: true,
        },
        now,
      );
      if (!running) return;
      logState(log, running, 'running', { taskId: r.taskId });
      this.o.onSubmitted(running);
    } catch (err) {
      await this.failed(job, err);
    }
  }

  /** Queued jobs whose model no account may run (every one refused it): they fail now rather than wait. */
  private async failUnrunnable(): Promise<void> {
    const blocked = this.o.jimeng.unrunnable?.();
    if (!blocked?.size) return;
    for (const job of await this.o.store.jobsIn(['queued'])) {
      const code = blocked.get(job.reqKey);
      if (code)
        await this.o.failures.fail(
          job,
          ['queued'],
          jobError(code, { detail: `no Jimeng account may run ${job.reqKey}` }),
        );
    }
  }

  /** The stored images, or (a job made from a card, or whose files went missing) fetched again from Feishu. */
  private async imagesOf(job: Job): Promise<Uint8Array[]> {
    const want = job.images ?? [];
    if (!want.length) return [];
    const stored = await this.o.store.jobImages(job.id);
    if (stored.length === want.length) return stored;
    return Promise.all(want.map((i) => this.o.messenger.downloadImage(i.messageId, i.imageKey)));
  }

  private async failed(job: Job, err: unknown): Promise<void> {
    if (!isJimengError(err)) {
      // Not an answer of Jimeng's (a bug?): whether the request left is unknown, so never submit it again.
      this.o.log.error({ err, jobId: job.id }, 'submit failed unexpectedly');
      await this.o.failures.fail(
        job,
        ['submitting'],
        jobError('SUBMIT_UNCERTAIN', { detail: String(err) }),
        'refund_uncertain',
      );
      return;
    }
    const e: JimengError = err;
    const blocked = this.o.jimeng.unrunnable;
    if (isAccountRefusal(e) && blocked) {
      // This account refused (credentials, model not enabled) and is out of rotation for the model: the job
      // goes back to the queue for another account, no retry spent; if none is left, it fails.
      const code = blocked().get(job.reqKey);
      if (!code) return this.requeue(job, e);
      await this.o.failures.fail(
        job,
        ['submitting'],
        jobError(code, { detail: `no Jimeng account may run ${job.reqKey}; last: ${e.message}` }),
      );
      return;
    }
    if (e.retryable && !e.maybeCreated && job.busyRetries < this.o.maxBusyRetries) {
      // Jimeng said "busy" (or could not be reached) before creating anything: back to the queue.
      const retryAt = this.o.clock.now() + this.o.busyRetryMs;
      const back = await this.o.store.transition(
        job.id,
        // Say it once, not on every retry (card patches are rate-limited and count against API caps).
        {
          from: ['submitting'],
          to: 'queued',
          set: { busyRetries: job.busyRetries + 1, retryAt, account: undefined },
          card: job.busyRetries === 0,
        },
        this.o.clock.now(),
      );
      if (back) logState(this.o.log, back, 'queued (busy, will retry)', { code: e.code });
      this.o.onCardChange();
      this.pump.wakeAt(retryAt);
      return;
    }
    if (e.maybeCreated) {
      // We cannot know whether Jimeng created (and bills) the task: say so instead of paying twice.
      await this.o.failures.fail(
        job,
        ['submitting'],
        jobError('SUBMIT_UNCERTAIN', { detail: e.message }),
        'refund_uncertain',
      );
      return;
    }
    await this.o.failures.fail(
      job,
      ['submitting'],
      jobError(e.code, { retryable: e.retryable, detail: e.message }),
    );
  }

  /** Back to the queue, at its place (nothing was created, nothing charged, the card still says queued). */
  private async requeue(job: Job, e: JimengError): Promise<void> {
    const now = this.o.clock.now();
    const back = await this.o.store.transition(
      job.id,
      { from: ['submitting'], to: 'queued', set: { account: undefined, retryAt: undefined } },
      now,
    );
    if (back)
      logState(this.o.log, back, 'queued (account refused it, another will take it)', {
        account: job.account,
        code: e.code,
      });
    this.wake();
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
