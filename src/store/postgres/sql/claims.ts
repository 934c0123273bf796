/**
 * Claims of job work. Polls, deliveries and cards: one statement each, `FOR UPDATE SKIP LOCKED` so racing
 * replicas take disjoint rows, and a lease column (until now + lease ms) so the work is not handed out
 * again until it is released or the lease lapses (a dead replica's claims come back by themselves).
 * Parameters: $1 now, $2 limit, $3 lease ms.
 */

const lease = (column: string, where: string, order: string) => /* sql */ `
  WITH due AS (
    SELECT id FROM jobs
    WHERE ${where} AND (${column} IS NULL OR ${column} <= $1)
    ORDER BY ${order}
    LIMIT greatest($2::integer, 0)
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE jobs j SET ${column} = $1::double precision + $3::double precision
    FROM due WHERE j.id = due.id
    RETURNING j.data, j.seq, j.submitted_at
  )
  SELECT data FROM claimed ORDER BY ${order}`;

/** Running with a task and no video, due; submitted longest ago first. */
export const CLAIM_POLLS = lease(
  'poll_lease',
  `state = 'running' AND has_task AND NOT has_video AND coalesce(next_poll_at, 0) <= $1`,
  'coalesce(submitted_at, 0), seq',
);

/** Running with a video not yet delivered, past its backoff. */
export const CLAIM_DELIVERIES = lease(
  'delivery_lease',
  `state = 'running' AND has_video AND coalesce(delivery_next_at, 0) <= $1`,
  'seq',
);

/** Any job whose card is behind and not waiting out a retry. */
export const CLAIM_CARDS = lease(
  'card_lease',
  'card_sent < card_version AND coalesce(card_retry_at, 0) <= $1',
  'seq',
);

/** The earliest time a waiting poll is due: its nextPollAt, or the end of its lease if later. */
export const NEXT_POLL_AT = /* sql */ `
  SELECT min(greatest(coalesce(next_poll_at, 0), coalesce(poll_lease, 0))) AS at
  FROM jobs WHERE state = 'running' AND has_task AND NOT has_video`;

// ---- claimSubmits: one transaction under the SUBMIT advisory lock (see claim-ops.ts) ---------------------

export const LOCK_SUBMITS = /* sql */ `SELECT pg_advisory_xact_lock($1, $2)`;

/** Jobs holding a slot at Jimeng anywhere in the deployment (submit-order.ts's holdsSlot). */
export const JOBS_AT_JIMENG = /* sql */ `
  SELECT data FROM jobs WHERE state = 'submitting' OR (state = 'running' AND NOT has_video) ORDER BY seq`;

/** $1 now. Queued jobs not waiting out a "busy" retry, oldest first. */
export const DUE_QUEUED = /* sql */ `
  SELECT data FROM jobs WHERE state = 'queued' AND (retry_at IS NULL OR retry_at <= $1) ORDER BY seq`;

/**
 * $1 ids, $2 patches (jsonb merged into each record). Only jobs still queued move (a cancel that got in
 * first wins); returned in the order given.
 */
export const MOVE_TO_SUBMITTING = /* sql */ `
  WITH picks AS (
    SELECT * FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS p(id, patch, ord)
  ), moved AS (
    UPDATE jobs j SET data = j.data || picks.patch
    FROM picks WHERE j.id = picks.id AND j.state = 'queued'
    RETURNING j.data, picks.ord
  )
  SELECT data FROM moved ORDER BY ord`;
