/**
 * How a job record changes, as pure functions: every store applies these same rules (the embedded ones
 * to their records in memory, PostgreSQL to the stored JSON inside the row's transaction), so all stores
 * hand out equal records.
 */
import type { CardSent, JobDraft, Transition } from './port.js';
import type { CardState, Job } from './records.js';

/** J + base36 of the sequence number, at least four digits: J0001, J000A, … */
export const jobIdOf = (seq: number): string => `J${seq.toString(36).toUpperCase().padStart(4, '0')}`;

/** The record `createJob` stores for a draft (its images copied, not shared with the caller). */
export function newJobRecord(draft: JobDraft, id: string, now: number): Job {
  return {
    ...draft,
    ...(draft.images ? { images: draft.images.map((i) => ({ ...i })) } : {}),
    id,
    state: 'queued',
    charge: 'reserved',
    polls: 0,
    busyRetries: 0,
    card: { version: 1, sent: 0 },
    createdAt: now,
    updatedAt: now,
  };
}

/** The card after a transition that asks for it to be sent: the next version, not before `after` when given. */
function bumpedCard(card: CardState, ask: true | { after: number }): CardState {
  return { ...card, version: card.version + 1, ...(ask === true ? {} : { retryAt: ask.after }) };
}

/** The fields a transition whose guard passed changes (charges and leases are the store's own steps). */
export function transitionPatch(job: Job, t: Transition): Partial<Job> {
  const patch: Partial<Job> = { ...t.set };
  if (t.to) patch.state = t.to;
  if (t.error) patch.error = { ...t.error };
  if (t.card) patch.card = bumpedCard(job.card, t.card);
  return patch;
}

/**
 * The card after a send is recorded: `sent` only moves forward; a failure counts an attempt and sets the
 * retry time. `overtaken`: the sender no longer held the card (another sender claimed it since), so what
 * Feishu shows may be older than `sent` says: the version is bumped and the card is sent again.
 */
export function cardAfterSend(current: CardState, sent: CardSent, overtaken = false): CardState {
  const card = { ...current };
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
  return card;
}
