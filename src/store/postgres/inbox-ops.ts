import type { ClaimInput } from '../port.js';
import type { InboxItem } from '../records.js';
import { type Db, limitParam } from './db.js';
import { toJson } from './json-codec.js';
import { ACCEPT, CLAIM_INBOX, FAIL_INBOX, FINISH_INBOX } from './sql/inbox.js';

interface InboxRow {
  id: string;
  kind: string;
  received_at: number;
  payload: unknown;
  attempts: number | null;
}

export interface Acceptance {
  item: InboxItem;
  claim?: { now: number; leaseMs: number };
}

/**
 * Accepts several deliveries in one statement (batched-ops.ts); true for each that was new. Of several
 * with one key, the first wins.
 */
export async function acceptAll(db: Db, calls: Acceptance[], owner: string): Promise<boolean[]> {
  const r = await db.query<{ id: string }>(ACCEPT, [
    calls.map((c) => c.item.id),
    calls.map((c) => c.item.kind),
    calls.map((c) => c.item.receivedAt),
    calls.map((c) => toJson(c.item.payload)),
    calls.map((c) => c.item.attempts ?? null),
    calls.map((c) => (c.claim ? c.claim.now + c.claim.leaseMs : null)),
    calls.map((c) => (c.claim ? owner : null)),
  ]);
  const fresh = new Set(r.rows.map((row) => row.id));
  return calls.map((c) => fresh.delete(c.item.id));
}

export async function claimInbox(
  db: Db,
  input: ClaimInput & { maxAttempts?: number },
  owner: string,
): Promise<InboxItem[]> {
  const max =
    input.maxAttempts === undefined || !Number.isFinite(input.maxAttempts) ? null : input.maxAttempts;
  const { rows } = await db.query<InboxRow>(CLAIM_INBOX, [
    input.now,
    limitParam(input.limit),
    input.leaseMs,
    max,
    owner,
  ]);
  return rows.map((r) => {
    const item: InboxItem = { id: r.id, kind: r.kind, receivedAt: r.received_at, payload: r.payload };
    if (r.attempts !== null) item.attempts = r.attempts;
    return item;
  });
}

/** Takes several items out of the inbox in one statement. */
export async function finishAll(db: Db, ids: string[]): Promise<undefined[]> {
  await db.query(FINISH_INBOX, [ids]);
  return ids.map(() => undefined);
}

export async function failInbox(db: Db, id: string): Promise<void> {
  await db.query(FAIL_INBOX, [id]);
}
