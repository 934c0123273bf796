import type { CreateJobResult, JobDraft, QuotaPolicy } from '../port.js';
import { type CreateCall, createJobs } from './create-jobs.js';
import type { Db } from './db.js';

interface Waiting extends CreateCall {
  resolve(r: CreateJobResult): void;
  reject(err: unknown): void;
}

/** Calls one transaction takes at most. */
const MAX_BATCH = 200;

/**
 * Group commit for createJob: while one batch's transaction runs, the calls that arrive wait, and the next
 * transaction takes them all (create-jobs.ts). Alone, a call costs one transaction as before; under load
 * the batches grow with the wait, so the locks every creation of a day (and of a user) must take, and the
 * commit, are paid once per batch instead of once per job. Should a batch fail, its calls are retried one
 * by one, so a bad call fails alone.
 */
export class JobCreator {
  private waiting: Waiting[] = [];
  private running = false;

  constructor(private readonly db: Db) {}

  create(
    draft: JobDraft,
    policy: QuotaPolicy,
    opts: { now: number; inboxId?: string; images?: Uint8Array[] },
  ): Promise<CreateJobResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ draft, policy, opts, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.running || !this.waiting.length) return;
    this.running = true;
    const batch = this.waiting.splice(0, MAX_BATCH);
    this.run(batch).finally(() => {
      this.running = false;
      this.next();
    });
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const results = await createJobs(this.db, batch);
      for (const [i, w] of batch.entries()) w.resolve(results[i]!);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const w of batch) await this.run([w]);
    }
  }
}
