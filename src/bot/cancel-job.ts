import type { StorePort } from '../store/port.js';
import type { CancelResult } from './commands/command.js';

/**
 * Cancels a queued job for its owner or an admin: one guarded transition (a job already on its way to
 * Jimeng is past the point of no return), refunded, the card told.
 */
export async function cancelJob(
  store: StorePort,
  jobId: string,
  by: string,
  isAdmin: boolean,
  now: number,
): Promise<CancelResult> {
  const job = await store.job(jobId);
  if (!job) return { ok: false, reason: 'not_found' };
  if (job.userOpenId !== by && !isAdmin) return { ok: false, reason: 'not_yours', job };
  const cancelled = await store.transition(
    job.id,
    { from: ['queued'], to: 'cancelled', charge: 'refund', set: { answeredAt: now }, card: true },
    now,
  );
  if (cancelled) return { ok: true, job: cancelled };
  return { ok: false, reason: 'too_late', job: (await store.job(job.id)) ?? job };
}
