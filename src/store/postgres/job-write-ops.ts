import type { CardSent, Transition } from '../port.js';
import type { Job } from '../records.js';
import type { Db, Query } from './db.js';
import { applyCardSent, applyTransition, holdsImages } from './job-record.js';
import { toJson } from './json-codec.js';
import {
  ADD_DAY,
  DROP_IMAGES,
  LEDGER_OUTCOME,
  LOCK_DAY,
  LOCK_JOB,
  LOCK_JOB_IN,
  REFUND,
  WRITE_JOB,
} from './sql/jobs.js';

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Locks the day's usage row (creating it when the day is new) and returns the day's spend. Every
 * reservation and refund of a day holds this lock until it commits, so they apply one after another.
 */
async function lockDay(q: Query, day: string): Promise<number> {
  let r = await q<{ yuan: number }>(LOCK_DAY, [day]);
  if (!r.rows.length) {
    await q(ADD_DAY, [day]);
    r = await q<{ yuan: number }>(LOCK_DAY, [day]);
  }
  return r.rows[0]!.yuan;
}

/**
 * Lock order, the same in every transaction so none can deadlock: the user (createJob only: create-jobs.ts,
 * which also locks the message's inbox item), then a job row (transitions), then the day's usage row, then
 * that day's per-user and per-chat rows. The user lock covers what the quota rule reads across days (jobs
 * in flight); the day lock what it reads of the day (the user's and the chat's videos, the spend); both
 * are taken before the quota is read.
 */
export function transition(db: Db, id: string, t: Transition, now: number): Promise<Job | undefined> {
  return db.tx(async (q) => {
    const before = (await q<{ data: Job }>(LOCK_JOB_IN, [id, [...t.from]])).rows[0]?.data;
    if (!before) return undefined;
    const { job, change } = applyTransition(before, t, now);
    await q(WRITE_JOB, [id, toJson(job), t.release === 'poll', t.release === 'delivery', false]);
    if (change.refund) {
      const spent = await lockDay(q, job.day);
      const after = Math.max(0, round2(spent - job.costYuan));
      await q(REFUND, [job.day, job.userOpenId, job.chatId, after, id, change.outcome, now]);
    } else if (change.outcome) await q(LEDGER_OUTCOME, [id, change.outcome, now]);
    if (holdsImages(before.state) && !holdsImages(job.state)) await q(DROP_IMAGES, [id]);
    return job;
  });
}

/**
 * Records a card send by replica `owner`. Claims of a card are serialised by its lease, so only a send
 * that outlived its claim (a frozen replica whose lease another replica took over) can finish after a
 * newer one: it is recognised by the card's last claimer being someone else, and the card is bumped.
 */
export function cardSent(
  db: Db,
  id: string,
  sent: CardSent,
  now: number,
  owner: string,
): Promise<Job | undefined> {
  return db.tx(async (q) => {
    const row = (await q<{ data: Job; card_owner: string | null }>(LOCK_JOB, [id])).rows[0];
    if (!row) return undefined;
    const overtaken = row.card_owner !== null && row.card_owner !== owner;
    const job = applyCardSent(row.data, sent, now, overtaken);
    await q(WRITE_JOB, [id, toJson(job), false, false, true]);
    return job;
  });
}
