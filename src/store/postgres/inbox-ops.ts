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

export async function accept(
  db: Db,
  item: InboxItem,
  claim: { now: number; leaseMs: number } | undefined,
  owner: string,
): Promise<boolean> {
  const r = await db.query(ACCEPT, [
    item.id,
    item.kind,
    item.receivedAt,
    toJson(item.payload),
    item.attempts ?? null,
    claim ? claim.now + claim.leaseMs : null,
    claim ? owner : null,
  ]);
  return r.rowCount === 1;
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

export async function finishInbox(db: Db, id: string): Promise<void> {
  await db.query(FINISH_INBOX, [id]);
}

export async function failInbox(db: Db, id: string): Promise<void> {
  await db.query(FAIL_INBOX, [id]);
}
