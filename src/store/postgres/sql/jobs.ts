/** Statements over one job: creation with its reservation, guarded changes, reads. */

// ---- createJob: see create-jobs.ts and sql/create-jobs.ts ------------------------------------------------

/** $1 day. Locks the day's usage row: every reservation and refund of that day queues here. */
export const LOCK_DAY = /* sql */ `SELECT yuan FROM usage_days WHERE day = $1 FOR UPDATE`;
export const ADD_DAY = /* sql */ `INSERT INTO usage_days (day) VALUES ($1) ON CONFLICT (day) DO NOTHING`;

/** $1 job id, $2 images (bytea[]), in order. */
export const INSERT_IMAGES = /* sql */ `
  INSERT INTO job_images (job_id, idx, bytes)
  SELECT $1, ord - 1, bytes FROM unnest($2::bytea[]) WITH ORDINALITY AS t(bytes, ord)`;

// ---- transition / cardSent (one transaction: lock the row, change it in TS, write it) -------------------

/**
 * $1 id, $2 states. The guard: locks the job only if it is in one of the states. A racing transition
 * that got the lock first makes this one wait, and READ COMMITTED re-checks the state on the row it
 * committed, so of two transitions from one state exactly one finds the row.
 */
export const LOCK_JOB_IN = /* sql */ `SELECT data FROM jobs WHERE id = $1 AND state = ANY($2::text[]) FOR UPDATE`;
/** $1 id. The record, and the replica that last claimed its card (for cardSent). */
export const LOCK_JOB = /* sql */ `SELECT data, card_owner FROM jobs WHERE id = $1 FOR UPDATE`;

/**
 * $1 id, $2 record, $3 release the poll lease, $4 the delivery lease, $5 the card lease. A release ends
 * the lease but keeps its owner: card_owner says who claimed the card last (cardSent).
 */
export const WRITE_JOB = /* sql */ `
  UPDATE jobs SET
    data = $2::jsonb,
    poll_lease = CASE WHEN $3::boolean THEN NULL ELSE poll_lease END,
    delivery_lease = CASE WHEN $4::boolean THEN NULL ELSE delivery_lease END,
    card_lease = CASE WHEN $5::boolean THEN NULL ELSE card_lease END
  WHERE id = $1`;

/** $1 job id, $2 outcome, $3 now. */
export const LEDGER_OUTCOME = /* sql */ `UPDATE ledger SET outcome = $2, at = $3 WHERE job_id = $1`;

/**
 * $1 day, $2 user, $3 chat, $4 day's spend afterwards, $5 job id, $6 outcome, $7 now. Gives the video
 * back to the user and the chat (never below 0), sets the spend, and records the outcome.
 */
export const REFUND = /* sql */ `
  WITH users AS (
    INSERT INTO usage_users (day, user_open_id, n) VALUES ($1, $2, 0)
    ON CONFLICT (day, user_open_id) DO UPDATE SET n = greatest(0, usage_users.n - 1)
  ), chats AS (
    INSERT INTO usage_chats (day, chat_id, n) VALUES ($1, $3, 0)
    ON CONFLICT (day, chat_id) DO UPDATE SET n = greatest(0, usage_chats.n - 1)
  ), spend AS (
    UPDATE usage_days SET yuan = $4 WHERE day = $1
  )
  UPDATE ledger SET outcome = $6, at = $7 WHERE job_id = $5`;

export const DROP_IMAGES = /* sql */ `DELETE FROM job_images WHERE job_id = $1`;

// ---- reads --------------------------------------------------------------------------------------------

/** $1 id as typed: ids are upper case, `/cancel j0007` finds J0007. */
export const JOB = /* sql */ `
  SELECT data FROM jobs WHERE id = $1 OR id = upper($1) ORDER BY id = $1 DESC LIMIT 1`;
export const JOBS_OF_USER = /* sql */ `
  SELECT data FROM jobs WHERE user_open_id = $1 ORDER BY seq DESC LIMIT greatest($2::integer, 0)`;
export const JOBS_IN = /* sql */ `SELECT data FROM jobs WHERE state = ANY($1::text[]) ORDER BY seq`;
export const QUEUE_POSITION = /* sql */ `
  SELECT CASE WHEN j.state = 'queued'
    THEN (SELECT count(*) FROM jobs q WHERE q.state = 'queued' AND q.seq <= j.seq)::integer
    ELSE 0 END AS position
  FROM jobs j WHERE j.id = $1`;
export const JOB_IMAGES = /* sql */ `SELECT bytes FROM job_images WHERE job_id = $1 ORDER BY idx`;
export const IN_FLIGHT = /* sql */ `
  SELECT count(*)::integer AS n FROM jobs
  WHERE user_open_id = $1 AND state IN ('queued', 'submitting', 'running')`;
export const JOB_COUNTS = /* sql */ `SELECT state, count(*)::integer AS n FROM jobs GROUP BY state`;
