import type { Logger } from '../log.js';
import type { StorePort } from '../store/port.js';

/**
 * A user recalled a message (`im.message.recalled_v1`): a job it made that has not reached Jimeng is
 * taken back (cancelled, refunded, nothing spent); a job already at Jimeng answers in the chat instead,
 * never as a reply to the recalled message.
 */
export async function onRecalled(
  store: StorePort,
  messageId: string,
  now: number,
  log: Logger,
): Promise<boolean> {
  let changed = false;
  for (const job of await store.jobsIn(['queued', 'submitting', 'running'])) {
    if (job.messageId !== messageId) continue;
    const cancelled = await store.transition(
      job.id,
      {
        from: ['queued'],
        to: 'cancelled',
        charge: 'refund',
        error: { code: 'CANCELLED_RECALLED' },
        set: { answeredAt: now, replyGone: true },
      },
      now,
    );
    if (cancelled)
      log.info({ jobId: job.id, messageId }, `job ${job.id} → cancelled (its command was recalled)`);
    else await store.transition(job.id, { from: ['submitting', 'running'], set: { replyGone: true } }, now);
    changed = true;
  }
  return changed;
}
