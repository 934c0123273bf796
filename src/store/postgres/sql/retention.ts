/** The retention sweep's statements (see retention.ts): each runs alone, and all are idempotent. */

/** $1 cutoff: dedup keys first seen before it are forgotten (a re-push after that is a new delivery). */
export const FORGET_SEEN = /* sql */ `DELETE FROM seen WHERE at < $1`;

/** $1 cutoff: ledger entries older than it whose job has left the store. */
export const PRUNE_LEDGER = /* sql */ `
  DELETE FROM ledger l WHERE l.at < $1 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = l.job_id)`;

export const PRUNE_ADMIN_LOG = /* sql */ `DELETE FROM admin_log WHERE at < $1`;

/** $1 days kept: usage of all but the newest days goes (with its per-user and per-chat rows). */
export const PRUNE_USAGE_DAYS = /* sql */ `
  DELETE FROM usage_days WHERE day NOT IN (
    SELECT day FROM usage_days ORDER BY day DESC LIMIT greatest($1::integer, 0)
  )`;

/**
 * $1 finished jobs kept, $2 cutoff (updatedAt), $3 now. Finished jobs beyond the newest $1, or last
 * changed before the cutoff, move to jobs_archive (their images go with the row).
 */
export const ARCHIVE_FINISHED = /* sql */ `
  WITH finished AS (
    SELECT id, updated_at, row_number() OVER (ORDER BY seq DESC) AS newest
    FROM jobs WHERE state NOT IN ('queued', 'submitting', 'running')
  ), gone AS (
    DELETE FROM jobs j USING finished f
    WHERE j.id = f.id AND (f.newest > $1 OR f.updated_at < $2)
      AND j.state NOT IN ('queued', 'submitting', 'running')
    RETURNING j.id, j.data
  )
  INSERT INTO jobs_archive (id, archived_at, data) SELECT id, $3, data FROM gone
  ON CONFLICT (id) DO UPDATE SET archived_at = EXCLUDED.archived_at, data = EXCLUDED.data`;

export const TRY_LOCK = /* sql */ `SELECT pg_try_advisory_lock($1, $2) AS locked`;
export const UNLOCK = /* sql */ `SELECT pg_advisory_unlock($1, $2)`;
