import { type ClaimInput, type ClaimSubmitsInput, SUBMIT_LEASE_MS } from '../port.js';
import type { Job } from '../records.js';
import { hasFreeSlot, pickSubmits } from '../submit-order.js';
import { type Db, limitParam } from './db.js';
import { toJson } from './json-codec.js';
import { LOCK_CLASS, SUBMIT_KEY } from './locks.js';
import {
  CLAIM_CARDS,
  CLAIM_DELIVERIES,
  CLAIM_ORPHANED_SUBMITS,
  CLAIM_POLLS,
  DUE_QUEUED,
  JOBS_AT_JIMENG,
  LOCK_SUBMITS,
  LOOK_SUBMITS,
  MOVE_TO_SUBMITTING,
  NEXT_POLL_AT,
} from './sql/claims.js';

type DataRow = { data: Job };

/**
 * One transaction under the deployment-wide SUBMIT lock: count the slots every replica's jobs hold, pick
 * with submit-order.ts's rule, move the picks to `submitting`. Only this step takes a slot (a job enters
 * `submitting` nowhere else), so with the lock held the count cannot grow under us; slots freed meanwhile
 * are merely seen on the next claim. The lock is taken before anything is read, so the reads see every
 * claim that committed before (READ COMMITTED takes a fresh snapshot per statement).
 */
export async function claimSubmits(db: Db, input: ClaimSubmitsInput, owner: string): Promise<Job[]> {
  if (input.limit <= 0 || input.accounts.length === 0) return [];
  // A look without the lock first: nothing due, or every slot taken (the usual answers), ends here. Its
  // view may be a moment old; that only delays a claim to the next wake (whoever frees a slot wakes).
  const look = (await db.query<{ due: boolean; at_jimeng: Job[] }>(LOOK_SUBMITS, [input.now])).rows[0]!;
  if (!look.due || !hasFreeSlot(look.at_jimeng, input.accounts)) return [];
  return db.tx(async (q) => {
    await q(LOCK_SUBMITS, [LOCK_CLASS, SUBMIT_KEY]);
    const atJimeng = (await q<DataRow>(JOBS_AT_JIMENG)).rows.map((r) => r.data);
    // Every slot taken (the usual case while a backlog waits): no need to read the queue.
    if (!hasFreeSlot(atJimeng, input.accounts)) return [];
    const queued = (await q<DataRow>(DUE_QUEUED, [input.now])).rows.map((r) => r.data);
    const picks = pickSubmits(queued, atJimeng, input.accounts, input.now, input.limit);
    if (!picks.length) return [];
    const ids = picks.map((p) => p.job.id);
    // Merged into the row as it is now, not written from our read: a same-state change made meanwhile
    // (a card bump) is kept.
    const patches = picks.map((p) =>
      toJson({ state: 'submitting', account: p.account, updatedAt: input.now }),
    );
    const until = input.now + (input.leaseMs ?? SUBMIT_LEASE_MS);
    return (await q<DataRow>(MOVE_TO_SUBMITTING, [ids, patches, until, owner])).rows.map((r) => r.data);
  });
}

async function lease(db: Db, sql: string, input: ClaimInput, owner: string): Promise<Job[]> {
  const params = [input.now, limitParam(input.limit), input.leaseMs, owner];
  return (await db.query<DataRow>(sql, params)).rows.map((r) => r.data);
}

export const claimPolls = (db: Db, input: ClaimInput, owner: string) => lease(db, CLAIM_POLLS, input, owner);
export const claimDeliveries = (db: Db, input: ClaimInput, owner: string) =>
  lease(db, CLAIM_DELIVERIES, input, owner);
export const claimCards = (db: Db, input: ClaimInput, owner: string) => lease(db, CLAIM_CARDS, input, owner);
export const claimOrphanedSubmits = (db: Db, input: ClaimInput, owner: string) =>
  lease(db, CLAIM_ORPHANED_SUBMITS, input, owner);

export async function nextPollAt(db: Db): Promise<number | undefined> {
  return (await db.query<{ at: number | null }>(NEXT_POLL_AT)).rows[0]?.at ?? undefined;
}
