/** Inbox and dedup statements. Each runs alone: one statement is one transaction. */

import { free } from './claims.js';

/**
 * One row per delivery: $1 ids, $2 kinds, $3 received_at, $4 payloads (JSON text), $5 attempts, $6 lease
 * until (NULL: not claimed), $7 the claiming replica. Remembers the keys and puts the items in one
 * statement; an id back = that key was new. Racing inserts of one key queue on its unique index and all
 * but one do nothing (within one call the first row of a key wins). An item still in the inbox under a
 * forgotten key is replaced in place.
 */
export const ACCEPT = /* sql */ `
  WITH items AS (
    SELECT DISTINCT ON (id) *
    FROM unnest(
      $1::text[], $2::text[], $3::double precision[], $4::text[], $5::integer[],
      $6::double precision[], $7::text[]
    ) WITH ORDINALITY AS t(id, kind, received_at, payload, attempts, lease_until, lease_owner, ord)
    ORDER BY id, ord
  ), first AS (
    INSERT INTO seen (id, at) SELECT id, received_at FROM items ON CONFLICT (id) DO NOTHING RETURNING id
  )
  INSERT INTO inbox (id, kind, received_at, payload, attempts, lease_until, lease_owner)
  SELECT i.id, i.kind, i.received_at, i.payload::jsonb, i.attempts, i.lease_until, i.lease_owner
  FROM items i JOIN first f ON f.id = i.id
  ON CONFLICT (id) DO UPDATE SET
    kind = EXCLUDED.kind,
    received_at = EXCLUDED.received_at,
    payload = EXCLUDED.payload,
    attempts = coalesce(EXCLUDED.attempts, inbox.attempts),
    lease_until = EXCLUDED.lease_until,
    lease_owner = EXCLUDED.lease_owner
  RETURNING id`;

/**
 * $1 now, $2 limit, $3 lease ms, $4 max attempts (NULL = no limit), $5 the claiming replica. Oldest
 * first; rows another replica is claiming right now are skipped, not waited for; each claimed row is
 * leased to the replica until now + lease (a dead replica's lease is free: sql/claims.ts).
 */
export const CLAIM_INBOX = /* sql */ `
  WITH due AS (
    SELECT id FROM inbox
    WHERE ($4::integer IS NULL OR coalesce(attempts, 0) < $4)
      AND ${free('lease_until', 'lease_owner')}
    ORDER BY pos
    LIMIT greatest($2::integer, 0)
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE inbox i SET lease_until = $1::double precision + $3::double precision, lease_owner = $5
    FROM due WHERE i.id = due.id
    RETURNING i.pos, i.id, i.kind, i.received_at, i.payload, i.attempts
  )
  SELECT id, kind, received_at, payload, attempts FROM claimed ORDER BY pos`;

/** $1 ids. */
export const FINISH_INBOX = /* sql */ `DELETE FROM inbox WHERE id = ANY($1::text[])`;

export const FAIL_INBOX = /* sql */ `
  UPDATE inbox SET attempts = coalesce(attempts, 0) + 1, lease_until = NULL WHERE id = $1`;
