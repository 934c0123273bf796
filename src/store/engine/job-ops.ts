import { cardAfterSend, newJobRecord, transitionPatch } from '../job-rules.js';
import {
  type CardSent,
  type ClaimInput,
  type ClaimSubmitsInput,
  type CreateJobResult,
  type JobDraft,
  type QuotaPolicy,
  SUBMIT_LEASE_MS,
  type Transition,
} from '../port.js';
import { refusalFor } from '../quota-rule.js';
import { isActive, type Job, type JobState } from '../records.js';
import { hasFreeSlot, pickSubmits } from '../submit-order.js';
import { quotaStateOf } from './quota-ops.js';
import type { State } from './state.js';

/** The job operations of the store port, applied synchronously to the state (one step each). */

export function createJob(
  s: State,
  draft: JobDraft,
  policy: QuotaPolicy,
  now: number,
  inboxId?: string,
): CreateJobResult {
  if (inboxId !== undefined && !s.inboxById.has(inboxId)) return { ok: false, handledElsewhere: true };
  const refusal = refusalFor(
    quotaStateOf(s, { user: draft.userOpenId, chat: draft.chatId, day: draft.day }),
    policy,
    draft.costYuan,
  );
  if (refusal) return { ok: false, refusal };
  const job = newJobRecord(draft, s.nextJobId(), now);
  s.addJob(job);
  s.reserve(job, now);
  if (inboxId !== undefined) s.removeInbox(inboxId);
  return { ok: true, job };
}

/** Applies a guarded transition; undefined when the job is missing or not in `t.from`. */
export function transition(s: State, id: string, t: Transition, now: number): Job | undefined {
  const job = s.byId.get(id);
  if (!job || !t.from.includes(job.state)) return undefined;
  const patch = transitionPatch(job, t);
  if (t.release) delete s.jobLeases.get(id)?.[t.release];
  s.changeJob(job, patch, now);
  switch (t.charge) {
    case 'consume':
      if (job.charge === 'reserved') {
        job.charge = 'consumed';
        s.ledgerOutcome(job, 'charged', now);
      }
      break;
    case 'refund':
      s.refund(job, 'refunded', now);
      break;
    case 'refund_uncertain':
      s.refund(job, 'uncertain', now);
      break;
    case 'deliver':
      s.ledgerOutcome(job, 'delivered', now);
      break;
  }
  return job;
}

export function jobsIn(s: State, states: readonly JobState[]): Job[] {
  return s.data.jobs.filter((j) => states.includes(j.state));
}

export function jobsOfUser(s: State, user: string, limit: number): Job[] {
  const out: Job[] = [];
  for (let i = s.data.jobs.length - 1; i >= 0 && out.length < limit; i--) {
    const j = s.data.jobs[i]!;
    if (j.userOpenId === user) out.push(j);
  }
  return out;
}

export function queuePosition(s: State, id: string): number {
  let ahead = 0;
  for (const j of s.data.jobs) {
    if (j.id === id) return j.state === 'queued' ? ahead + 1 : 0;
    if (j.state === 'queued') ahead++;
  }
  return 0;
}

export function inFlight(s: State, user: string): number {
  return s.activeByUser.get(user) ?? 0;
}

export function claimSubmits(s: State, input: ClaimSubmitsInput): Job[] {
  // Counted, not ordered: pickSubmits only tallies them per account and user.
  const atJimeng = [...s.atJimeng];
  // Every slot taken (the usual case while a backlog waits): no need to look at the queue.
  if (!hasFreeSlot(atJimeng, input.accounts)) return [];
  const queued = s.data.jobs.filter((j) => j.state === 'queued');
  const picks = pickSubmits(queued, atJimeng, input.accounts, input.now, input.limit);
  const until = input.now + (input.leaseMs ?? SUBMIT_LEASE_MS);
  for (const p of picks) {
    s.changeJob(p.job, { state: 'submitting', account: p.account }, input.now);
    lease(s, p.job, 'submit', until);
  }
  return picks.map((p) => p.job);
}

/** Submitting jobs nobody holds: their lease ran out, or was never held by this process (a restart). */
export function claimOrphanedSubmits(s: State, input: ClaimInput): Job[] {
  const out: Job[] = [];
  for (const j of s.data.jobs) {
    if (out.length >= input.limit) break;
    if (j.state === 'submitting' && !leased(s, j, 'submit', input.now)) out.push(j);
  }
  for (const j of out) lease(s, j, 'submit', input.now + input.leaseMs);
  return out;
}

type LeaseKind = 'submit' | 'poll' | 'delivery' | 'card';

function leased(s: State, j: Job, kind: LeaseKind, now: number): boolean {
  const until = s.jobLeases.get(j.id)?.[kind];
  return until !== undefined && until > now;
}

/** Marks work on a job as taken (not a recorded change: see State.jobLeases). */
function lease(s: State, j: Job, kind: LeaseKind, until: number): void {
  s.jobLeases.set(j.id, { ...s.jobLeases.get(j.id), [kind]: until });
}

const waitsForPoll = (j: Job) => j.state === 'running' && !!j.taskId && !j.videoUrl;

export function claimPolls(s: State, input: ClaimInput): Job[] {
  const due = s.data.jobs
    .filter((j) => waitsForPoll(j) && (j.nextPollAt ?? 0) <= input.now && !leased(s, j, 'poll', input.now))
    .sort((a, b) => (a.submittedAt ?? 0) - (b.submittedAt ?? 0))
    .slice(0, input.limit);
  for (const j of due) lease(s, j, 'poll', input.now + input.leaseMs);
  return due;
}

export function nextPollAt(s: State): number | undefined {
  let next: number | undefined;
  for (const j of s.data.jobs) {
    if (!waitsForPoll(j)) continue;
    const at = Math.max(j.nextPollAt ?? 0, s.jobLeases.get(j.id)?.poll ?? 0);
    if (next === undefined || at < next) next = at;
  }
  return next;
}

export function claimDeliveries(s: State, input: ClaimInput): Job[] {
  const due = s.data.jobs
    .filter(
      (j) =>
        j.state === 'running' &&
        !!j.videoUrl &&
        (j.delivery?.nextAt ?? 0) <= input.now &&
        !leased(s, j, 'delivery', input.now),
    )
    .slice(0, input.limit);
  for (const j of due) lease(s, j, 'delivery', input.now + input.leaseMs);
  return due;
}

export function claimCards(s: State, input: ClaimInput): Job[] {
  const due: Job[] = [];
  for (const j of s.data.jobs) {
    if (due.length >= input.limit) break;
    if (j.card.sent >= j.card.version) continue;
    if ((j.card.retryAt ?? 0) > input.now || leased(s, j, 'card', input.now)) continue;
    due.push(j);
  }
  for (const j of due) lease(s, j, 'card', input.now + input.leaseMs);
  return due;
}

export function cardSent(s: State, id: string, sent: CardSent, now: number): Job | undefined {
  const job = s.byId.get(id);
  if (!job) return undefined;
  const card = cardAfterSend(job.card, sent);
  delete s.jobLeases.get(id)?.card;
  s.changeJob(job, { card }, now);
  return job;
}

/** Active jobs keep their place; finished ones are what retention may move out. */
export const isFinished = (j: Job) => !isActive(j);
