import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { ChargeEffect, StorePort } from '../store/port.js';
import type { Job, JobError, JobState } from '../store/records.js';
import { logState } from './job-log.js';

export interface FailuresOptions {
  store: StorePort;
  clock: Clock;
  log: Logger;
  metrics?: Metrics;
  /** After a job failed: its card must show it, a slot may be free. */
  onFailed(job: Job): void;
}

/**
 * Ends jobs that cannot succeed: one guarded transition to `failed` with the refund that applies (a job
 * that never produced a video gives its quota back), and the card bumped so its owner tells the user.
 */
export class Failures {
  constructor(private readonly o: FailuresOptions) {}

  /** A job ended some other way (cancelled): the same follow-ups as a failure. */
  onChange(job?: Job): void {
    if (job) this.o.onFailed(job);
  }

  async fail(
    job: Job,
    from: readonly JobState[],
    error: JobError,
    charge: Extract<ChargeEffect, 'refund' | 'refund_uncertain'> | undefined = 'refund',
  ): Promise<Job | undefined> {
    const now = this.o.clock.now();
    const failed = await this.o.store.transition(
      job.id,
      { from, to: 'failed', error, ...(charge ? { charge } : {}), set: { doneAt: now }, card: true },
      now,
    );
    if (!failed) return undefined;
    logState(this.o.log, failed, 'failed', {
      code: error.code,
      ...(error.detail ? { detail: error.detail } : {}),
    });
    this.o.onFailed(failed);
    return failed;
  }

  /**
   * Nothing can reach the job's chat (the bot was removed from it): one log line, a metric, and no more
   * sends. A job not yet at Jimeng is cancelled and refunded; a running one ends now (its task is billed
   * whatever happens; waiting for a video nobody can receive only spends calls).
   */
  async undeliverable(job: Job, reason: string): Promise<void> {
    const now = this.o.clock.now();
    this.o.metrics?.undeliverable.inc();
    this.o.log.error(
      { jobId: job.id, chatId: job.chatId, reason },
      `job ${job.id} is undeliverable: ${reason}; nothing more is sent`,
    );
    const error = { code: 'UNDELIVERABLE', detail: reason };
    const set = { undeliverable: reason, answeredAt: now };
    const done =
      (await this.o.store.transition(
        job.id,
        { from: ['queued'], to: 'cancelled', charge: 'refund', error, set },
        now,
      )) ??
      (await this.o.store.transition(job.id, { from: ['running'], to: 'failed', error, set }, now)) ??
      (await this.o.store.transition(
        job.id,
        { from: ['submitting', 'delivered', 'failed', 'cancelled'], set },
        now,
      ));
    if (done) this.o.onFailed(done);
  }
}
