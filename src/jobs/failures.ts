import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ChargeEffect, StorePort } from '../store/port.js';
import type { Job, JobError, JobState } from '../store/records.js';
import { logState } from './job-log.js';

export interface FailuresOptions {
  store: StorePort;
  clock: Clock;
  log: Logger;
  /** After a job failed: its card must show it, a slot may be free. */
  onFailed(job: Job): void;
}

/**
 * Ends jobs that cannot succeed: one guarded transition to `failed` with the refund that applies (a job
 * that never produced a video gives its quota back), and the card bumped so its owner tells the user.
 */
export class Failures {
  constructor(private readonly o: FailuresOptions) {}

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
}
