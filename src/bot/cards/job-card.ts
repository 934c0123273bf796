import type { Job } from '../../store/records.js';
import type { CardPhase, CardView, Texts } from '../texts/texts.js';

const TEMPLATE: Record<CardPhase, string> = {
  queued: 'blue',
  generating: 'wathet',
  done: 'green',
  failed: 'red',
  cancelled: 'grey',
};

const plain = (content: string) => ({ tag: 'div', text: { tag: 'plain_text', content } });
const md = (content: string) => ({ tag: 'markdown', content });

/** What a job's card shows now. */
export function viewOf(job: Job, queuePosition: number): CardView {
  switch (job.state) {
    case 'queued':
      return { phase: 'queued', queuePosition, busy: job.busyRetries > 0 };
    case 'submitting':
    case 'running':
      return { phase: 'generating', ...(job.taskStatus ? { taskStatus: job.taskStatus } : {}) };
    case 'delivered':
      return {
        phase: 'done',
        ...(job.videoUrl
          ? { link: { url: job.videoUrl, expiresAt: (job.doneAt ?? 0) + 3_600_000, only: !!job.linkOnly } }
          : {}),
      };
    case 'failed':
      return { phase: 'failed' };
    case 'cancelled':
      return { phase: 'cancelled' };
  }
}

/** The job's progress card (Feishu card JSON 2.0), sent once and then patched in place. */
export function jobCard(job: Job, view: CardView, t: Texts): object {
  const c = t.card;
  const facts = [
    c.fact(c.model, c.modelName(job.tier, job.reqKey)),
    c.pair(
      c.fact(c.duration, c.seconds(job.duration)),
      c.fact(c.ratio, job.images?.length ? c.auto : (job.ratio ?? '16:9')),
    ),
  ];
  if (job.images?.length) facts.push(c.fact(c.image, c.imageYes));
  facts.push(c.fact(c.job, job.id));
  // Line breaks are kept: a multi-shot prompt shows one shot per line.
  const elements: object[] = [md(`**${c.prompt}**`), plain(job.prompt), md(facts.join('\n'))];
  if (view.phase === 'queued') {
    const lines = [];
    if (view.busy) lines.push(c.busy);
    lines.push(c.queued(view.queuePosition ? c.position(view.queuePosition) : undefined));
    lines.push(c.cancelHint(job.id));
    elements.push(md(lines.join('\n')));
  } else if (view.phase === 'generating') {
    elements.push(md(view.taskStatus === 'in_queue' ? c.inQueueHint : c.generatingHint));
  } else if (view.phase === 'done') {
    const lines = [];
    if (job.resultSeed !== undefined) lines.push(c.fact(c.seed, String(job.resultSeed)));
    lines.push(c.fact(c.cost, c.yuan(job.costYuan)));
    if (view.link) lines.push(c.link(view.link.url, view.link.only));
    elements.push(md(lines.join('\n')));
  } else if (view.phase === 'failed') {
    elements.push(md(c.failed(job)));
  } else {
    elements.push(md(c.cancelled));
  }
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: c.title[view.phase] }, template: TEMPLATE[view.phase] },
    body: { elements },
  };
}
