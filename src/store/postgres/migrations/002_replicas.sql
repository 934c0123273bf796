-- Several replicas on one database: who holds a claim, whether that replica is still alive, and the
-- Jimeng call pacing every replica shares. Applied by migrate.ts like 001 (once, under the advisory lock).

-- The database's clock in ms since the epoch. Liveness and the shared pacer are measured with it alone,
-- so the replicas' own clocks cannot disagree about them.
CREATE FUNCTION jm_now_ms() RETURNS double precision LANGUAGE sql VOLATILE AS $$
  SELECT (extract(epoch FROM clock_timestamp()) * 1000)::double precision
$$;

-- One row per open PgStore (a replica). It renews `alive_until` (jm_now_ms() + its timeout) a few times
-- per timeout and deletes its row when it closes; a replica whose row lapsed is dead, and every claim it
-- holds is void, whatever the claim's own expiry says.
CREATE TABLE replicas (
  id text PRIMARY KEY,
  alive_until double precision NOT NULL,
  started_at double precision NOT NULL
);

-- The owner of each claim (a replicas.id; NULL: a claim made before this migration, bounded by its
-- expiry only). A claimed submit now has a lease too: the submitter holds it while it submits.
-- card_owner stays after the card claim is released: the last replica that claimed the card, so a late
-- send of another one is recognised (cardSent).
ALTER TABLE jobs
  ADD COLUMN submit_lease double precision,
  ADD COLUMN submit_owner text,
  ADD COLUMN poll_owner text,
  ADD COLUMN delivery_owner text,
  ADD COLUMN card_owner text;
ALTER TABLE inbox ADD COLUMN lease_owner text;
CREATE INDEX jobs_submitting ON jobs (seq) WHERE state = 'submitting';

-- The shared Jimeng call pacer: per account the earliest time (jm_now_ms) the next call may leave.
-- Taking a slot is one UPDATE: the slot is greatest(next_at, now), and next_at moves one gap past it.
CREATE TABLE jimeng_rate (
  account text PRIMARY KEY,
  next_at double precision NOT NULL
);
