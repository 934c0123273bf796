import type { ModelCatalog } from '../jimeng/models.js';
import type { JobPresenter } from '../jobs/presenter.js';
import type { Job } from '../store/records.js';
import { jobCard, viewOf } from './cards/job-card.js';
import type { CardActionKind } from './job-variants.js';
import type { Texts } from './texts/texts.js';

export interface BotPresenter extends JobPresenter {
  /** The card as an answer to a click on it: the pressed button shown as in progress. */
  pressedCard(job: Job, pressed: CardActionKind, queuePosition: number): object;
}

/** How the jobs layer's cards and answers read: the bot's words. */
export function presenterFor(t: Texts, catalog: ModelCatalog): BotPresenter {
  return {
    card: (job: Job, ctx) => jobCard(job, viewOf(job, ctx.queuePosition), t, { catalog }),
    pressedCard: (job, pressed, queuePosition) =>
      jobCard(job, viewOf(job, queuePosition), t, { catalog, pressed }),
    failureText: (job) => `❌ ${t.card.failed(job)}`,
    inChat: (job) => t.videoInChat(job.userOpenId, job.id),
    linkOnly: (_job, url) => t.linkOnly(url),
  };
}
