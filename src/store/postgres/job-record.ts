import type { CardSent, ChargeEffect, JobDraft, Transition } from '../port.js';
import { bumpedCard, type Job, type JobState, type LedgerEntry } from '../records.js';

/**
 * How a job record changes, as pure functions over the stored JSON: the same rules as the engine's
 * job-ops (so both stores hand out equal records), applied by the PostgreSQL store inside the transaction
 * that holds the job's row lock.
 */

/** J + base36 of the sequence number, at least four digits: J0001, J000A, … (as the embedded stores). */
export const jobIdOf = (seq: number): string => `J${seq.toString(36).toUpperCase().padStart(4, '0')}`;

/** The new job `createJob` stores, as JSON (undefined fields absent). */
export function newJob(draft: JobDraft, id: string, now: number): Job {
  return roundTrip({
    ...draft,
    id,
    state: 'queued',
    charge: 'reserved',
    polls: 0,
    busyRetries: 0,
    card: { version: 1, sent: 0 },
    createdAt: now,
    updatedAt: now,
  } satisfies Job);
}

/** What a charge effect does besides the job's `charge`: a ledger outcome, and whether usage goes back. */
export interface ChargeChange {
  outcome?: LedgerEntry['outcome'];
  refund: boolean;
}

/** Applies a transition whose guard passed. The record's `charge` moves here; the rest is in `change`. */
export function applyTransition(job: Job, t: Transition, now: number): { job: Job; change: ChargeChange } {
  const patch: Record<string, unknown> = { ...t.set };
  if (t.to) patch.state = t.to;
  if (t.error) patch.error = { ...t.error };
  if (t.card) patch.card = bumpedCard(job.card, t.card);
  const next = changed(job, patch, now);
  const change = chargeChange(next, t.charge);
  if (change.refund) next.charge = 'refunded';
  else if (t.charge === 'consume' && change.outcome) next.charge = 'consumed';
  return { job: roundTrip(next), change };
}

function chargeChange(job: Job, effect: ChargeEffect | undefined): ChargeChange {
  switch (effect) {
    case 'consume':
      return job.charge === 'reserved' ? { outcome: 'charged', refund: false } : { refund: false };
    case 'refund':
    case 'refund_uncertain':
      if (job.charge === 'refunded') return { refund: false };
      return { outcome: effect === 'refund' ? 'refunded' : 'uncertain', refund: true };
    case 'deliver':
      return { outcome: 'delivered', refund: false };
    default:
      return { refund: false };
  }
}

/**
 * Records a card send: `sent` only moves forward; a failure counts an attempt and sets the retry time.
 * `overtaken`: the sender no longer held the card (another sender claimed it since), so what Feishu shows
 * may be older than `sent` says: the version is bumped and the card is sent again as the job stands.
 */
export function applyCardSent(job: Job, sent: CardSent, now: number, overtaken = false): Job {
  const card = { ...job.card };
  if (sent.ok) {
    if (sent.version > card.sent) card.sent = sent.version;
    if (overtaken) card.version += 1;
    if (sent.messageId) card.messageId = sent.messageId;
    delete card.retryAt;
    delete card.attempts;
  } else {
    card.retryAt = sent.retryAt;
    card.attempts = (card.attempts ?? 0) + 1;
  }
  return roundTrip(changed(job, { card }, now));
}

/** Queued and submitting jobs keep their images; leaving both drops them. */
export const holdsImages = (state: JobState): boolean => state === 'queued' || state === 'submitting';

/** The job with `patch` applied and `updatedAt` set; a patch value of undefined removes the field. */
function changed(job: Job, patch: Record<string, unknown>, now: number): Job {
  const next: Record<string, unknown> = { ...job, ...patch, updatedAt: now };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  return next as unknown as Job;
}

/** Exactly what the database will hand back (and no object shared with the caller's input). */
function roundTrip(job: Job): Job {
  return JSON.parse(JSON.stringify(job)) as Job;
}
