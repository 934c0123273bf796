import type { Logger } from '../log.js';
import type { Job } from '../store/records.js';

/** One log line per job state change, with the job and the message it answers. */
export function logState(
  log: Logger,
  job: Pick<Job, 'id' | 'messageId'>,
  state: string,
  extra: object = {},
): void {
  log.info({ jobId: job.id, messageId: job.messageId, state, ...extra }, `job ${job.id} → ${state}`);
}
