import type { Job } from '../store/records.js';

/**
 * How jobs look to users. The jobs layer decides what to send and when; the bot, which owns every word,
 * decides what it says (dependency inversion: jobs/ does not import bot/).
 */
export interface JobPresenter {
  /** The job's progress card (Feishu card JSON 2.0 with `update_multi`), as the job stands now. */
  card(job: Job, ctx: { queuePosition: number; now: number }): object;
  /** A failure told as a text reply, when the card cannot carry it. */
  failureText(job: Job): string;
  /** Said in the chat with a video posted there (the command was recalled), mentioning the user. */
  inChat(job: Job): string;
  /** The answer with the link when the video could not be re-hosted. */
  linkOnly(job: Job, url: string): string;
}
