import type { JobError } from '../store/records.js';

/**
 * Why a job failed: a Jimeng error code (see jimeng/errors.ts) or one of the bot's own. Texts for users are
 * chosen from these codes (bot/texts); logs carry them as they are.
 */
export type JobErrorCode =
  | 'SUBMIT_UNCERTAIN' // the submit may have created a task: not retried, refunded as "uncertain"
  | 'IMAGE_LOST' // the stored image is gone and cannot be fetched again
  | 'TASK_TIMEOUT' // no result within taskTimeoutMs
  | 'POLL_FAILED' // too many get-result failures in a row
  | 'VIDEO_EXPIRED' // the video could not be fetched before its link expired
  | 'UNDELIVERABLE' // nothing can reach the chat (bot removed, message gone)
  | 'CANCELLED_RECALLED' // the command was recalled before the job was submitted
  | 'STORE_FAILED'
  | (string & {}); // Jimeng codes: CONTENT_RISK_INPUT_TEXT, INVALID_INPUT, …

export function jobError(code: JobErrorCode, extra: Omit<JobError, 'code'> = {}): JobError {
  return { code, ...extra };
}
