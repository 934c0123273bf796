/**
 * Claims of job work. Polls, deliveries, cards and orphaned submits: one statement each, `FOR UPDATE SKIP
 * LOCKED` so racing replicas take disjoint rows, and a lease (until now + lease ms, with its owner, the
 * claiming replica) so the work is not handed out again until it is released, the lease lapses, or its
 * owner is no longer alive (a dead replica's claims come back by themselves).
 * Parameters: $1 now, $2 limit, $3 lease ms, $4 the claiming replica.
 */

/** Whether `owner` is a replica that is no longer alive, by the database's clock (replicas.ts). */
export const dead = (owner: string) =>
  `(${owner} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM replicas r WHERE r.id = ${owner} AND r.alive_until > jm_now_ms()))`;

/**
 * Whether a lease is free at $1: never taken, run out, or its owner dead. (A NULL owner, from before
 * owners were recorded, is bounded by its expiry only.)
 */
export const free = (lease: string, owner: string) =>
  `(${lease} IS NULL OR ${lease} <= $1 OR ${dead(owner)})`;

/** The lease's expiry, or 0 if its owner is dead (for "when is the next poll due"). */
const heldUntil = (lease: string, owner: string) =>
  `CASE WHEN ${dead(owner)} THEN 0 ELSE coalesce(${lease}, 0) END`;

const claim = (kind: string, where: string, order: string) => /* sql */ `
  WITH due AS (
    SELECT id FROM jobs
    WHERE ${where} AND ${free(`${kind}_lease`, `${kind}_owner`)}
    ORDER BY ${order}
    LIMIT greatest($2::integer, 0)
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE jobs j SET ${kind}_lease = $1::double precision + $3::double precision, ${kind}_owner = $4
    FROM due WHERE j.id = due.id
    RETURNING j.data, j.seq, j.submitted_at
  )
  SELECT data FROM claimed ORDER BY ${order}`;

/** Running with a task and no video, due; submitted longest ago first. */
export const CLAIM_POLLS = claim(
  'poll',
  `state = 'running' AND has_task AND NOT has_video AND coalesce(next_poll_at, 0) <= $1`,
  'coalesce(submitted_at, 0), seq',
);

/** Running with a video not yet delivered, past its backoff. */
export const CLAIM_DELIVERIES = claim(
  'delivery',
  `state = 'running' AND has_video AND coalesce(delivery_next_at, 0) <= $1`,
  'seq',
);

/** Any job whose card is behind and not waiting out a retry. */
export const CLAIM_CARDS = claim(
  'card',
  'card_sent < card_version AND coalesce(card_retry_at, 0) <= $1',
  'seq',
);

/** Submitting, and its submitter gone (its lease free); oldest first. */
export const CLAIM_ORPHANED_SUBMITS = claim('submit', `state = 'submitting'`, 'seq');

/** The earliest time a waiting poll is due: its nextPollAt, or the end of a lease that still holds. */
export const NEXT_POLL_AT = /* sql */ `
  SELECT min(greatest(coalesce(next_poll_at, 0), ${heldUntil('poll_lease', 'poll_owner')})) AS at
  FROM jobs WHERE state = 'running' AND has_task AND NOT has_video`;

// ---- claimSubmits: one transaction under the SUBMIT advisory lock (see claim-ops.ts) ---------------------

export const LOCK_SUBMITS = /* sql */ `SELECT pg_advisory_xact_lock($1, $2)`;

/** Jobs holding a slot at Jimeng anywhere in the deployment (submit-order.ts's holdsSlot). */
export const JOBS_AT_JIMENG = /* sql */ `
  SELECT data FROM jobs WHERE state = 'submitting' OR (state = 'running' AND NOT has_video) ORDER BY seq`;

/** $1 now. Unlocked: is a queued job due, and the jobs holding a slot (claim-ops.ts looks before it locks). */
export const LOOK_SUBMITS = /* sql */ `
  SELECT
    EXISTS (SELECT 1 FROM jobs WHERE state = 'queued' AND (retry_at IS NULL OR retry_at <= $1)) AS due,
    (SELECT coalesce(jsonb_agg(data ORDER BY seq), '[]'::jsonb) FROM jobs
      WHERE state = 'submitting' OR (state = 'running' AND NOT has_video)) AS at_jimeng`;

/** $1 now. Queued jobs not waiting out a "busy" retry, oldest first. */
export const DUE_QUEUED = /* sql */ `
  SELECT data FROM jobs WHERE state = 'queued' AND (retry_at IS NULL OR retry_at <= $1) ORDER BY seq`;

/**
 * $1 ids, $2 patches (jsonb merged into each record), $3 the submit lease's expiry, $4 the claiming
 * replica. Only jobs still queued move (a cancel that got in first wins); returned in the order given.
 */
export const MOVE_TO_SUBMITTING = /* sql */ `
  WITH picks AS (
    SELECT * FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS p(id, patch, ord)
  ), moved AS (
    UPDATE jobs j SET data = j.data || picks.patch, submit_lease = $3, submit_owner = $4
    FROM picks WHERE j.id = picks.id AND j.state = 'queued'
    RETURNING j.data, picks.ord
  )
  SELECT data FROM moved ORDER BY ord`;
