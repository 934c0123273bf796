import type { ClaimInput } from '../port.js';
import type { InboxItem } from '../records.js';
import type { State } from './state.js';

export function accept(s: State, item: InboxItem, claim?: { now: number; leaseMs: number }): boolean {
  if (s.data.seen[item.id] !== undefined) return false;
  s.markSeen(item.id, item.receivedAt);
  s.putInbox({ ...item });
  if (claim) s.inboxLeases.set(item.id, claim.now + claim.leaseMs);
  return true;
}

/** Inbox leases, like job leases, are not recorded changes (see State.inboxLeases). */
export function claimInbox(s: State, input: ClaimInput & { maxAttempts?: number }): InboxItem[] {
  const max = input.maxAttempts ?? Number.POSITIVE_INFINITY;
  const out: InboxItem[] = [];
  for (const item of s.data.inbox) {
    if (out.length >= input.limit) break;
    if ((item.attempts ?? 0) >= max) continue;
    const lease = s.inboxLeases.get(item.id);
    if (lease !== undefined && lease > input.now) continue;
    s.inboxLeases.set(item.id, input.now + input.leaseMs);
    out.push(item);
  }
  return out;
}

export function failInbox(s: State, id: string): void {
  const item = s.inboxById.get(id);
  if (!item) return;
  s.inboxLeases.delete(id);
  s.putInbox({ ...item, attempts: (item.attempts ?? 0) + 1 });
}
