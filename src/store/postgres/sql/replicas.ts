/** Replica liveness and the shared Jimeng pacer. Times are the database's (jm_now_ms, migration 002). */

/**
 * $1 id, $2 timeout ms. Registers or renews a replica: alive until the database's now + timeout. Returns
 * whether it had lapsed before this renewal (its claims were void meanwhile; others may have taken them).
 */
export const RENEW_REPLICA = /* sql */ `
  WITH before AS (SELECT alive_until FROM replicas WHERE id = $1)
  INSERT INTO replicas AS r (id, alive_until, started_at) VALUES ($1, jm_now_ms() + $2, jm_now_ms())
  ON CONFLICT (id) DO UPDATE SET alive_until = EXCLUDED.alive_until
  RETURNING coalesce((SELECT alive_until FROM before) <= jm_now_ms(), false) AS lapsed`;

/** $1 id. A replica that closes is dead at once: its claims are free for the others. */
export const RETIRE_REPLICA = /* sql */ `DELETE FROM replicas WHERE id = $1`;

/** Rows of replicas dead for a day (crashed ones never delete their own). */
export const FORGET_DEAD_REPLICAS = /* sql */ `
  DELETE FROM replicas WHERE alive_until < jm_now_ms() - 86400000`;

/**
 * $1 account, $2 gap ms. Takes the account's next call slot in one statement: the slot is the later of
 * the stored next_at and now, and next_at moves one gap past it. Returns how long to wait for the slot.
 */
export const TAKE_CALL_SLOT = /* sql */ `
  INSERT INTO jimeng_rate AS r (account, next_at) VALUES ($1, jm_now_ms() + $2)
  ON CONFLICT (account) DO UPDATE SET next_at = greatest(r.next_at, jm_now_ms()) + $2
  RETURNING greatest(0, r.next_at - $2 - jm_now_ms()) AS wait_ms`;
