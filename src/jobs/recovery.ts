import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { StorePort } from '../store/port.js';
import type { Failures } from './failures.js';
import { jobError } from './job-error.js';
import { logState } from './job-log.js';

export interface RecoveryOptions {
  store: StorePort;
  failures: Failures;
  clock: Clock;
  log: Logger;
  /**
   * At start, bring every running task's next look within a second (default true: this process was the
   * only poller and lost what it knew). Off with replicas: the others go on polling on schedule, and a
   * restart must not spend a burst of the shared budget on tasks they are watching.
   */
  resumePollsSoon?: boolean;
}

/** Orphans failed per look (the rest wait for the next sweep). */
const BATCH = 100;
/** How long a recovering process holds an orphan while it fails it. */
const LEASE_MS = 60_000;

/**
 * What a submitter that stopped leaves behind: jobs in `submitting` whose submitter is gone (this
 * process before a restart, or a replica that died: the store says which, see claimOrphanedSubmits).
 * Whether Jimeng created their task cannot be known (it has no look-up by request), so each is failed as
 * SUBMIT_UNCERTAIN and refunded rather than submitted a second time. Looked for at start and on every
 * sweep, so a dead replica's submits are answered by the survivors.
 */
export class Recovery {
  private looking: Promise<void> | undefined;

  constructor(private readonly o: RecoveryOptions) {}

  /** At start: fail the orphans, and look at running tasks soon. */
  async resume(): Promise<void> {
    await this.failOrphans();
    if (this.o.resumePollsSoon === false) return;
    const now = this.o.clock.now();
    for (const job of await this.o.store.jobsIn(['running'])) {
      if (job.videoUrl || (job.nextPollAt ?? now) <= now + 1000) continue;
      logState(this.o.log, job, 'resume: polling');
      await this.o.store.transition(job.id, { from: ['running'], set: { nextPollAt: now + 1000 } }, now);
    }
  }

  /** One look for orphans (a look already under way is joined, not repeated). */
  failOrphans(): Promise<void> {
    this.looking ??= this.look().finally(() => {
      this.looking = undefined;
    });
    return this.looking;
  }

  private async look(): Promise<void> {
    for (;;) {
      const now = this.o.clock.now();
      const orphans = await this.o.store.claimOrphanedSubmits({ now, limit: BATCH, leaseMs: LEASE_MS });
      for (const job of orphans) {
        logState(this.o.log, job, 'submit outcome unknown: its submitter stopped');
        await this.o.failures.fail(
          job,
          ['submitting'],
          jobError('SUBMIT_UNCERTAIN', { detail: 'its submitter stopped (a restart, or a lost replica)' }),
          'refund_uncertain',
        );
      }
      if (orphans.length < BATCH) return;
    }
  }
}
