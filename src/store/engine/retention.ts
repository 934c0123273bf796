import { isActive, type Job } from '../records.js';
import type { State } from './state.js';

export interface RetentionOptions {
  /** Finished jobs kept (older ones leave the store). */
  finishedJobs: number;
  finishedJobDays: number;
  ledgerDays: number;
  /** How long a dedup key is remembered; Feishu re-pushes for ~7.1 h. */
  dedupHours: number;
}

export const DEFAULT_RETENTION: RetentionOptions = {
  finishedJobs: 1000,
  finishedJobDays: 7,
  ledgerDays: 35,
  dedupHours: 24,
};

const DAY = 86_400_000;

export interface PruneResult {
  /** Finished jobs taken out of the state (the file store appends them to its archive). */
  archived: Job[];
  /** Something was dropped wholesale: the next write must be a full snapshot. */
  rewrite: boolean;
}

/**
 * Forgets expired dedup keys, ledger and admin-log entries and usage days, and takes out finished jobs
 * beyond the retention window. `full` walks everything (once a minute); otherwise only finished jobs
 * are taken out, and only when a burst has doubled them (an O(1) check, so it may run every second).
 */
export function prune(s: State, opts: RetentionOptions, now: number, full: boolean): PruneResult {
  const d = s.data;
  let rewrite = false;
  if (!full) {
    const finished = d.jobs.length - s.activeTotal;
    if (finished <= opts.finishedJobs * 2) return { archived: [], rewrite };
    return archiveFinished(s, opts, now);
  }
  // Finished jobs first: the ledger entries of the jobs it archives may then go in the same pass.
  const r = archiveFinished(s, opts, now);
  const seenCutoff = now - opts.dedupHours * 3_600_000;
  for (const [id, at] of Object.entries(d.seen)) if (at < seenCutoff) delete d.seen[id];
  const ledgerCutoff = now - opts.ledgerDays * DAY;
  // Shrinking the ledger or the admin log moves what a journal replay would apply to: snapshot.
  if (d.ledger.length && d.ledger.some((e) => e.at < ledgerCutoff)) {
    const gone = d.ledger.filter((e) => e.at < ledgerCutoff && !s.byId.has(e.jobId));
    if (gone.length) {
      const drop = new Set(gone);
      d.ledger = d.ledger.filter((e) => !drop.has(e));
      for (const e of gone) s.ledgerByJob.delete(e.jobId);
      rewrite = true;
    }
  }
  if (d.adminLog.length && d.adminLog[0]!.at < ledgerCutoff) {
    d.adminLog = d.adminLog.filter((e) => e.at >= ledgerCutoff);
    rewrite = true;
  }
  const days = Object.keys(d.usage).sort();
  for (const day of days.slice(0, Math.max(0, days.length - opts.ledgerDays))) {
    delete d.usage[day];
    rewrite = true;
  }
  return { archived: r.archived, rewrite: rewrite || r.rewrite };
}

function archiveFinished(s: State, opts: RetentionOptions, now: number): PruneResult {
  const d = s.data;
  const finished = d.jobs.filter((j) => !isActive(j));
  const cutoff = now - opts.finishedJobDays * DAY;
  const excess = finished.length - opts.finishedJobs;
  const archived: Job[] = [];
  for (const [i, j] of finished.entries()) if (i < excess || j.updatedAt < cutoff) archived.push(j);
  if (archived.length === 0) return { archived, rewrite: false };
  const gone = new Set(archived);
  d.jobs = d.jobs.filter((j) => !gone.has(j));
  for (const j of archived) s.byId.delete(j.id);
  return { archived, rewrite: true };
}
