import type { ModelCatalog } from '../../jimeng/models.js';
import type { Job } from '../../store/records.js';
import { buttonsFor, type CardActionKind, modeOfJob } from '../job-variants.js';
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

export interface CardOptions {
  catalog: ModelCatalog;
  /** A button just pressed on this card: shown as in progress. */
  pressed?: CardActionKind;
}

/** The job's progress card (Feishu card JSON 2.0), sent once and then patched in place. */
export function jobCard(job: Job, view: CardView, t: Texts, opts: CardOptions): object {
  const c = t.card;
  const mode = modeOfJob(job);
  const facts = [
    c.fact(c.model, c.modelName(job.tier, job.reqKey)),
    c.fact(c.mode, c.modeName(mode, job.camera)),
    c.pair(
      c.fact(c.duration, c.seconds(job.duration)),
      c.fact(c.ratio, job.images?.length ? c.auto : (job.ratio ?? '16:9')),
    ),
  ];
  if (job.seed !== undefined) facts.push(c.fact(c.seed, String(job.resultSeed ?? job.seed)));
  facts.push(c.fact(view.phase === 'done' ? c.cost : c.estimate, c.yuan(job.costYuan)));
  facts.push(c.fact(c.job, job.origin ? c.derived(job.id, job.origin.fromJob, job.origin.action) : job.id));
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
    if (view.link) elements.push(md(c.link(view.link.url, view.link.only)));
  } else if (view.phase === 'failed') {
    elements.push(md(c.failed(job)));
  } else {
    elements.push(md(c.cancelled));
  }
  elements.push(...actionBar(job, t, opts));
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: c.title[view.phase] }, template: TEMPLATE[view.phase] },
    body: { elements },
  };
}

function button(kind: CardActionKind, job: Job, label: string, pressed: boolean): object {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: label },
    type: kind === 'cancel' ? 'danger' : kind === 'reroll' || kind === 'retry' ? 'primary' : 'default',
    ...(pressed ? { disabled: true } : {}),
    behaviors: [{ type: 'callback', value: { action: kind, job: job.id } }],
  };
}

/** The buttons (and the edit form) the job's card offers now. */
function actionBar(job: Job, t: Texts, opts: CardOptions): object[] {
  const c = t.card;
  const offered = buttonsFor(job, opts.catalog);
  const label = (kind: CardActionKind, cost?: number) => {
    const base = c.button[kind];
    if (opts.pressed === kind) return c.pressed(base);
    return cost === undefined ? base : c.priced(base, cost);
  };
  const buttons = offered
    .filter((b) => b.kind !== 'edit')
    .map((b) => ({
      tag: 'column',
      width: 'auto',
      elements: [button(b.kind, job, label(b.kind, b.costYuan), opts.pressed === b.kind)],
    }));
  const out: object[] = buttons.length
    ? [{ tag: 'column_set', flex_mode: 'flow', horizontal_spacing: '8px', columns: buttons }]
    : [];
  const edit = offered.find((b) => b.kind === 'edit');
  if (edit)
    out.push({
      tag: 'form',
      name: `edit_${job.id}`,
      elements: [
        {
          tag: 'input',
          name: 'prompt',
          input_type: 'multiline_text',
          rows: 3,
          max_length: 800,
          default_value: job.prompt,
          placeholder: { tag: 'plain_text', content: c.editPlaceholder },
        },
        {
          ...button('edit', job, label('edit', edit.costYuan), opts.pressed === 'edit'),
          name: 'edit_submit',
          form_action_type: 'submit',
        },
      ],
    });
  return out;
}
