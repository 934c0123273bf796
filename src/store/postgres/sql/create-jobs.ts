/**
 * createJob, for a batch of calls in one transaction (create-jobs.ts): lock what the quota rule reads,
 * read it once, reserve for every draft that passes, write them all. Each statement takes arrays.
 */

/**
 * $1 lock class, $2 open_ids. The users' transaction locks, in one order (by key) in every batch, so
 * batches cannot deadlock; the subquery's order is the order they are taken in.
 */
export const LOCK_USERS = /* sql */ `
  SELECT pg_advisory_xact_lock($1, h)
  FROM (SELECT DISTINCT hashtext(u) AS h FROM unnest($2::text[]) AS u ORDER BY h) AS keys`;

/**
 * $1 days, distinct. Locks the days' usage rows in day order, creating the days not yet seen: every
 * reservation and refund of a day queues here. `created`: the row is this statement's.
 */
export const LOCK_DAYS = /* sql */ `
  INSERT INTO usage_days AS d (day) SELECT day FROM unnest($1::text[]) AS day ORDER BY day
  ON CONFLICT (day) DO UPDATE SET day = EXCLUDED.day
  RETURNING d.day, (d.xmax = 0) AS created`;

/** $1 days created by this batch that got no reservation: a refusal leaves nothing behind. */
export const DROP_DAYS = /* sql */ `DELETE FROM usage_days WHERE day = ANY($1::text[])`;

/**
 * $1 days, $2 users, $3 chats (one triple per row), $4 inbox ids. Everything the quota rule reads for
 * each, in one statement after the locks (so it sees every reservation that committed before), and the
 * messages' inbox items still there, locked (another replica cannot take one meanwhile; an inbox item's
 * message is one user's, whose lock this batch holds, so no other batch waits for it).
 */
export const QUOTA_STATES = /* sql */ `
  WITH present AS (SELECT id FROM inbox WHERE id = ANY($4::text[]) ORDER BY id FOR UPDATE)
  SELECT
    (SELECT n FROM usage_users WHERE day = k.day AND user_open_id = k.u) AS used,
    (SELECT per_day FROM user_limits WHERE user_open_id = k.u) AS user_limit,
    (SELECT n FROM extras WHERE day = k.day AND user_open_id = k.u) AS extra_today,
    (SELECT n FROM usage_chats WHERE day = k.day AND chat_id = k.c) AS chat_used,
    (SELECT value FROM settings WHERE key = 'chatLimit') AS chat_limit,
    (SELECT yuan FROM usage_days WHERE day = k.day) AS spent_yuan,
    (SELECT count(*) FROM jobs
      WHERE user_open_id = k.u AND state IN ('queued', 'submitting', 'running'))::integer AS in_flight,
    (SELECT value FROM settings WHERE key = 'paused') AS paused,
    (SELECT coalesce(array_agg(id), '{}') FROM present) AS inbox
  FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(day, u, c, ord)
  ORDER BY k.ord`;

/** $1 how many. Job sequence numbers, in increasing order. */
export const NEXT_JOB_SEQS = /* sql */ `
  SELECT nextval('job_seq')::double precision AS seq FROM generate_series(1, $1::integer)`;

/**
 * One row per job: $1 ids, $2 seqs, $3 records (JSON text), $4 days, $5 users, $6 chats, $7 models,
 * $8 seconds, $9 yuan, $10 times; then $11 days, $12 their spend afterwards; $13 inbox ids to take out.
 * The jobs, a video each for their user and chat, the days' spend, the ledger entries and the inbox
 * items' removal, in one statement (the days are locked already).
 */
export const INSERT_JOBS = /* sql */ `
  WITH j AS (
    SELECT * FROM unnest(
      $1::text[], $2::double precision[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
      $8::double precision[], $9::double precision[], $10::double precision[]
    ) AS t(id, seq, data, day, u, c, model, seconds, yuan, at)
  ), users AS (
    INSERT INTO usage_users (day, user_open_id, n) SELECT day, u, count(*) FROM j GROUP BY day, u
    ON CONFLICT (day, user_open_id) DO UPDATE SET n = usage_users.n + EXCLUDED.n
  ), chats AS (
    INSERT INTO usage_chats (day, chat_id, n) SELECT day, c, count(*) FROM j GROUP BY day, c
    ON CONFLICT (day, chat_id) DO UPDATE SET n = usage_chats.n + EXCLUDED.n
  ), spend AS (
    UPDATE usage_days d SET yuan = s.yuan
    FROM unnest($11::text[], $12::double precision[]) AS s(day, yuan) WHERE d.day = s.day
  ), entries AS (
    INSERT INTO ledger (job_id, seq, user_open_id, chat_id, model, seconds, yuan, outcome, at)
    SELECT id, seq, u, c, model, seconds, yuan, 'reserved', at FROM j
  ), taken AS (
    DELETE FROM inbox WHERE id = ANY($13::text[])
  )
  INSERT INTO jobs (id, seq, data) SELECT id, seq, data::jsonb FROM j ORDER BY seq`;
