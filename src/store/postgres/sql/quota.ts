/** Quota, settings, admin log, ledger and chat facts. */

/**
 * $1 day, $2 user, $3 chat. Everything the quota rule reads, in one statement (one snapshot). Inside
 * createJob it runs after the locks, so it sees every reservation that committed before.
 */
export const QUOTA_STATE = /* sql */ `
  SELECT
    (SELECT n FROM usage_users WHERE day = $1 AND user_open_id = $2) AS used,
    (SELECT per_day FROM user_limits WHERE user_open_id = $2) AS user_limit,
    (SELECT n FROM extras WHERE day = $1 AND user_open_id = $2) AS extra_today,
    (SELECT n FROM usage_chats WHERE day = $1 AND chat_id = $3) AS chat_used,
    (SELECT value FROM settings WHERE key = 'chatLimit') AS chat_limit,
    (SELECT yuan FROM usage_days WHERE day = $1) AS spent_yuan,
    (SELECT count(*) FROM jobs
      WHERE user_open_id = $2 AND state IN ('queued', 'submitting', 'running'))::integer AS in_flight,
    (SELECT value FROM settings WHERE key = 'paused') AS paused`;

export const PAUSED = /* sql */ `SELECT value FROM settings WHERE key = 'paused'`;

/** $1 key, $2 value (jsonb). */
export const PUT_SETTING = /* sql */ `
  INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;
/** $1 key. A row back = there was one. */
export const DROP_SETTING = /* sql */ `DELETE FROM settings WHERE key = $1 RETURNING key`;

/** $1 user, $2 per day. */
export const SET_USER_LIMIT = /* sql */ `
  INSERT INTO user_limits (user_open_id, per_day) VALUES ($1, $2)
  ON CONFLICT (user_open_id) DO UPDATE SET per_day = EXCLUDED.per_day`;

/** $1 day, $2 user, $3 n. Adds to the day's extras; returns them and the user's override. */
export const ADD_EXTRA = /* sql */ `
  WITH added AS (
    INSERT INTO extras (day, user_open_id, n) VALUES ($1, $2, $3)
    ON CONFLICT (day, user_open_id) DO UPDATE SET n = extras.n + EXCLUDED.n
    RETURNING n
  )
  SELECT (SELECT n FROM added) AS extra, (SELECT per_day FROM user_limits WHERE user_open_id = $2) AS user_limit`;

/** $1 at, $2 entry (jsonb). */
export const LOG_ADMIN = /* sql */ `INSERT INTO admin_log (at, entry) VALUES ($1, $2::jsonb)`;
export const ADMIN_LOG_SINCE = /* sql */ `SELECT entry FROM admin_log WHERE at >= $1 ORDER BY pos`;

export const LEDGER_SINCE = /* sql */ `
  SELECT job_id, user_open_id, chat_id, model, seconds, yuan, outcome, at
  FROM ledger WHERE at >= $1 ORDER BY seq`;

export const CHAT_FACTS = /* sql */ `SELECT facts FROM chats WHERE chat_id = $1`;
/** $1 chat, $2 facts (jsonb). */
export const SET_CHAT_FACTS = /* sql */ `
  INSERT INTO chats (chat_id, facts) VALUES ($1, $2::jsonb)
  ON CONFLICT (chat_id) DO UPDATE SET facts = EXCLUDED.facts`;
