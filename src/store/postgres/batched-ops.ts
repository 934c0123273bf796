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
  // Inbox items this replica's createJob took out: finishing one of them is already done (a message
  // whose job was made is finished right after; the key is remembered, so it cannot come back).
  const taken = new Set<string>();
  const finish = new Batcher<string, undefined>((ids) => finishAll(db, ids));
  return {
    // Acceptances touch only their own rows: a few batches at once, so an ack never waits a whole
    // round trip for the batch before its own.
    accept: new Batcher<Acceptance, boolean>((calls) => acceptAll(db, calls, owner), { parallel: 4 }),
    createJob: new Batcher<CreateCall, CreateJobResult>(async (calls) => {
      const results = await createJobs(db, calls);
      if (taken.size > 10_000) taken.clear();
      for (const [i, r] of results.entries()) {
        const id = calls[i]!.opts.inboxId;
        if (r.ok && id !== undefined) taken.add(id);
      }
      return results;
    }),
    finishInbox: {
      call: (id: string): Promise<undefined> =>
        taken.delete(id) ? Promise.resolve(undefined) : finish.call(id),
    },
    // One read answers every caller waiting for it (none asked before it started).
    paused: new Batcher<undefined, Pause | null>(async (calls) => {
      const p = await paused(db);
      return calls.map(() => p);
    }),
  };
}
