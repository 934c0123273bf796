import type pg from 'pg';
import type { RetentionOptions } from '../engine/retention.js';
import { LOCK_CLASS, RETENTION_KEY } from './locks.js';
import {
  ARCHIVE_FINISHED,
  FORGET_SEEN,
  PRUNE_ADMIN_LOG,
  PRUNE_LEDGER,
  PRUNE_USAGE_DAYS,
  TRY_LOCK,
  UNLOCK,
} from './sql/retention.js';

const DAY = 86_400_000;

/** Rows the sweep removed, by kind. */
export interface SweepResult {
  seen: number;
  ledger: number;
  adminLog: number;
  usageDays: number;
  archived: number;
}

/**
 * The engine's retention rules (engine/retention.ts) as a periodic sweep: forgets dedup keys older than
 * the dedup window, ledger entries older than `ledgerDays` whose job is gone, admin-log entries as old,
 * usage of all but the newest `ledgerDays` days, and moves finished jobs beyond `finishedJobs` or older
 * than `finishedJobDays` to jobs_archive. Each statement commits on its own (a sweep holds no lock an
 * operation waits for for long) and all are idempotent; a session try-lock lets one replica sweep at a
 * time, and undefined says another one is sweeping now.
 */
export async function sweep(
  pool: pg.Pool,
  opts: RetentionOptions,
  now: number,
): Promise<SweepResult | undefined> {
  const client = await pool.connect();
  let broken = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>(TRY_LOCK, [LOCK_CLASS, RETENTION_KEY]);
    if (!rows[0]?.locked) return undefined;
    try {
      const run = async (sql: string, params: unknown[]) => (await client.query(sql, params)).rowCount ?? 0;
      const ledgerCutoff = now - opts.ledgerDays * DAY;
      // Finished jobs first: the ledger entries of the jobs it archives may then go in the same pass.
      const archived = await run(ARCHIVE_FINISHED, [
        opts.finishedJobs,
        now - opts.finishedJobDays * DAY,
        now,
      ]);
      return {
        seen: await run(FORGET_SEEN, [now - opts.dedupHours * 3_600_000]),
        ledger: await run(PRUNE_LEDGER, [ledgerCutoff]),
        adminLog: await run(PRUNE_ADMIN_LOG, [ledgerCutoff]),
        usageDays: await run(PRUNE_USAGE_DAYS, [opts.ledgerDays]),
        archived,
      };
    } finally {
      await client.query(UNLOCK, [LOCK_CLASS, RETENTION_KEY]).catch(() => {
        broken = true;
      });
    }
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    client.release(broken);
  }
}
