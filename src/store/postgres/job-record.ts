import { cardAfterSend, newJobRecord, transitionPatch } from '../job-rules.js';
import type { CardSent, ChargeEffect, JobDraft, Transition } from '../port.js';
import type { Job, JobState, LedgerEntry } from '../records.js';

/**
 * Job records as the PostgreSQL store keeps them: the shared rules (../job-rules.ts) applied to the stored
 * JSON inside the transaction that holds the job's row lock, plus what a charge effect means in SQL.
 */

/** The new job `createJob` stores, as JSON (undefined fields absent). */
export function newJob(draft: JobDraft, id: string, now: number): Job {
  return roundTrip(newJobRecord(draft, id, now));
}

/** What a charge effect does besides the job's `charge`: a ledger outcome, and whether usage goes back. */
export interface ChargeChange {
  outcome?: LedgerEntry['outcome'];
  refund: boolean;
}

/** Applies a transition whose guard passed. The record's `charge` moves here; the rest is in `change`. */
export function applyTransition(job: Job, t: Transition, now: number): { job: Job; change: ChargeChange } {
  const next = changed(job, transitionPatch(job, t), now);
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

/** Records a card send (see cardAfterSend). */
export function applyCardSent(job: Job, sent: CardSent, now: number, overtaken = false): Job {
  return roundTrip(changed(job, { card: cardAfterSend(job.card, sent, overtaken) }, now));
}

/** Queued and submitting jobs keep their images; leaving both drops them. */
export const holdsImages = (state: JobState): boolean => state === 'queued' || state === 'submitting';

/** The job with `patch` applied and `updatedAt` set; a patch value of undefined removes the field. */
function changed(job: Job, patch: Partial<Job>, now: number): Job {
  const next: Record<string, unknown> = { ...job, ...patch, updatedAt: now };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  return next as unknown as Job;
}

/** Exactly what the database will hand back (and no object shared with the caller's input). */
function roundTrip(job: Job): Job {
  return JSON.parse(JSON.stringify(job)) as Job;
}
