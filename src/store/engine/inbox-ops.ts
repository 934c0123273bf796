import type { ClaimInput } from '../port.js';
import type { InboxItem } from '../records.js';
import type { State } from './state.js';

export function accept(s: State, item: InboxItem): boolean {
  if (s.data.seen[item.id] !== undefined) return false;
  s.markSeen(item.id, item.receivedAt);
  s.putInbox({ ...item });
  return true;
}

/** Inbox leases, like job leases, are not recorded as changes (see job-ops.ts `lease`). */
export function claimInbox(s: State, input: ClaimInput & { maxAttempts?: number }): InboxItem[] {
  const max = input.maxAttempts ?? Number.POSITIVE_INFINITY;
  const out: InboxItem[] = [];
  for (const item of s.data.inbox) {
    if (out.length >= input.limit) break;
    if ((item.attempts ?? 0) >= max) continue;
    if (item.leaseUntil !== undefined && item.leaseUntil > input.now) continue;
    item.leaseUntil = input.now + input.leaseMs;
    out.push(item);
  }
  return out;
}

export function failInbox(s: State, id: string): void {
  const item = s.inboxById.get(id);
  if (!item) return;
  const { leaseUntil: _lease, ...rest } = item;
  delete item.leaseUntil;
  s.putInbox({ ...rest, attempts: (item.attempts ?? 0) + 1 });
}
