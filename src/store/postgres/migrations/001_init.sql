-- The PostgreSQL store's first schema. Applied once per database by migrate.ts, under an advisory lock,
-- in one transaction with its row in schema_migrations. Never edit an applied migration: add 002_….sql.
--
-- Times are milliseconds since the epoch as the bot's clock gave them (double precision: the callers'
-- clocks may hand out fractions). Records the port hands out whole (jobs, admin log entries, pauses,
-- chat facts) are JSONB; the columns beside them are what the queries filter, order and lock on.

-- Dedup keys of deliveries (message_id / callback event id) → first seen. Retention forgets old ones.
CREATE TABLE seen (
  id text PRIMARY KEY,
  at double precision NOT NULL
);
CREATE INDEX seen_at ON seen (at);

-- Deliveries persisted before they are acknowledged. `pos` keeps arrival order ("oldest first");
-- `attempts` NULL = never failed (the record has no `attempts`); `lease_until` = claimed until then.
CREATE TABLE inbox (
  id text PRIMARY KEY,
  pos bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  kind text NOT NULL,
  received_at double precision NOT NULL,
  payload jsonb NOT NULL,
  attempts integer,
  lease_until double precision
);

-- Job ids are 'J' + base36(nextval), as the embedded stores number them.
CREATE SEQUENCE job_seq;

-- One row per job: the Job record in `data`, and columns derived from it (generated, so they can never
-- disagree with the record) for the queries. The lease columns are not part of the record: they say
-- which replica works on the job until when (a claim sets one; a release or the expiry ends it).
CREATE TABLE jobs (
  id text PRIMARY KEY,
  seq bigint NOT NULL UNIQUE,
  data jsonb NOT NULL,
  state text NOT NULL GENERATED ALWAYS AS (data ->> 'state') STORED,
  user_open_id text NOT NULL GENERATED ALWAYS AS (data ->> 'userOpenId') STORED,
  retry_at double precision GENERATED ALWAYS AS ((data ->> 'retryAt')::double precision) STORED,
  has_task boolean NOT NULL GENERATED ALWAYS AS (coalesce(data ->> 'taskId', '') <> '') STORED,
  has_video boolean NOT NULL GENERATED ALWAYS AS (coalesce(data ->> 'videoUrl', '') <> '') STORED,
  submitted_at double precision GENERATED ALWAYS AS ((data ->> 'submittedAt')::double precision) STORED,
  next_poll_at double precision GENERATED ALWAYS AS ((data ->> 'nextPollAt')::double precision) STORED,
  delivery_next_at double precision
    GENERATED ALWAYS AS ((data -> 'delivery' ->> 'nextAt')::double precision) STORED,
  card_version double precision NOT NULL
    GENERATED ALWAYS AS ((data -> 'card' ->> 'version')::double precision) STORED,
  card_sent double precision NOT NULL
    GENERATED ALWAYS AS ((data -> 'card' ->> 'sent')::double precision) STORED,
  card_retry_at double precision
    GENERATED ALWAYS AS ((data -> 'card' ->> 'retryAt')::double precision) STORED,
  updated_at double precision NOT NULL GENERATED ALWAYS AS ((data ->> 'updatedAt')::double precision) STORED,
  poll_lease double precision,
  delivery_lease double precision,
  card_lease double precision
);
CREATE INDEX jobs_state ON jobs (state, seq);
CREATE INDEX jobs_user ON jobs (user_open_id, seq);
CREATE INDEX jobs_polls ON jobs (coalesce(submitted_at, 0), seq)
  WHERE state = 'running' AND has_task AND NOT has_video;
CREATE INDEX jobs_deliveries ON jobs (seq) WHERE state = 'running' AND has_video;
CREATE INDEX jobs_cards ON jobs (seq) WHERE card_sent < card_version;

-- A job's images, kept from createJob until the job leaves queued/submitting.
CREATE TABLE job_images (
  job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  idx integer NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (job_id, idx)
);

-- Finished jobs retention took out of `jobs` (the file store's jobs-archive.jsonl).
CREATE TABLE jobs_archive (
  id text PRIMARY KEY,
  archived_at double precision NOT NULL,
  data jsonb NOT NULL
);

-- Quota usage per quota day. The day row is what createJob and refunds lock: it serialises every change
-- to that day's counts and spend, so racing replicas cannot both pass a limit.
CREATE TABLE usage_days (
  day text PRIMARY KEY,
  yuan double precision NOT NULL DEFAULT 0
);
CREATE TABLE usage_users (
  day text NOT NULL REFERENCES usage_days (day) ON DELETE CASCADE,
  user_open_id text NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (day, user_open_id)
);
CREATE TABLE usage_chats (
  day text NOT NULL REFERENCES usage_days (day) ON DELETE CASCADE,
  chat_id text NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (day, chat_id)
);

-- One ledger entry per job (its reservation and what became of it), in job order.
CREATE TABLE ledger (
  job_id text PRIMARY KEY,
  seq bigint NOT NULL,
  user_open_id text NOT NULL,
  chat_id text NOT NULL,
  model text NOT NULL,
  seconds double precision NOT NULL,
  yuan double precision NOT NULL,
  outcome text NOT NULL,
  at double precision NOT NULL
);
CREATE INDEX ledger_at ON ledger (at);

-- Admins' settings: per-user daily limits, extra videos for one day, and the rest by key
-- ('chatLimit' → number, 'paused' → {reason, by, at}).
CREATE TABLE user_limits (
  user_open_id text PRIMARY KEY,
  per_day double precision NOT NULL
);
CREATE TABLE extras (
  day text NOT NULL,
  user_open_id text NOT NULL,
  n double precision NOT NULL,
  PRIMARY KEY (day, user_open_id)
);
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);

CREATE TABLE admin_log (
  pos bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at double precision NOT NULL,
  entry jsonb NOT NULL
);
CREATE INDEX admin_log_at ON admin_log (at);

CREATE TABLE chats (
  chat_id text PRIMARY KEY,
  facts jsonb NOT NULL
);
