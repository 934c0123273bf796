import type { JobPresenter } from '../jobs/presenter.js';
import type { Job } from '../store/records.js';
import { jobCard, viewOf } from './cards/job-card.js';
import type { Texts } from './texts/texts.js';

/** How the jobs layer's cards and answers read: the bot's words. */
export function presenterFor(t: Texts): JobPresenter {
  return {
    card: (job: Job, ctx) => jobCard(job, viewOf(job, ctx.queuePosition), t),
    failureText: (job) => `❌ ${t.card.failed(job)}`,
    inChat: (job) => t.videoInChat(job.userOpenId, job.id),
    linkOnly: (_job, url) => t.linkOnly(url),
  };
}
