import type { CreateJobResult } from '../port.js';
import type { Pause } from '../records.js';
import { Batcher } from './batcher.js';
import { type CreateCall, createJobs } from './create-jobs.js';
import type { Db } from './db.js';
import { type Acceptance, acceptAll, finishAll } from './inbox-ops.js';
import { paused } from './quota-ops.js';

/**
 * The operations every message makes, each grouped (batcher.ts): concurrent calls share one statement or
 * one transaction, and every caller still hears only after its own change committed. Under load this is
 * most of what a replica asks the database per message: acceptance, the job with its reservation, the
 * inbox item's removal, and the pause check.
 */
export function batchedOps(db: Db, owner: string) {
  return {
    accept: new Batcher<Acceptance, boolean>((calls) => acceptAll(db, calls, owner)),
    createJob: new Batcher<CreateCall, CreateJobResult>((calls) => createJobs(db, calls)),
    finishInbox: new Batcher<string, undefined>((ids) => finishAll(db, ids)),
    // One read answers every caller waiting for it (none asked before it started).
    paused: new Batcher<undefined, Pause | null>(async (calls) => {
      const p = await paused(db);
      return calls.map(() => p);
    }),
  };
}
