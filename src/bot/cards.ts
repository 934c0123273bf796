import type { Locale } from '../config.js';
import type { Job } from '../store/schema.js';

export type CardPhase = 'queued' | 'generating' | 'done' | 'failed' | 'cancelled';

export interface CardView {
  phase: CardPhase;
  queuePosition?: number;
  /** Why it failed, in the user's language. */
  reason?: string;
  /** Link to the video (the re-hosted file is in the thread; this is Jimeng's 1-hour link). */
  link?: string;
  /** True when the video could not be re-hosted and the link is all the user gets. */
  linkOnly?: boolean;
  /** An extra line while queued (e.g. "Jimeng is busy, retrying automatically"). */
  note?: string;
}

const L = {
  zh: {
    title: {
      queued: '🎬 已排队',
      generating: '⏳ 生成中',
      done: '✅ 视频已生成',
      failed: '❌ 生成失败',
      cancelled: '🚫 已取消',
    },
    prompt: '提示词',
    model: '模型',
    duration: '时长',
    ratio: '比例',
    image: '参考图',
    imageYes: '有（图生视频）',
    job: '任务',
    position: (n: number) => (n <= 1 ? '下一个提交' : `队列第 ${n} 位`),
    queuedHint: '生成通常需要 1–3 分钟，完成后视频会发在本话题中。',
    generatingHint: '即梦正在生成，完成后视频会发在本话题中。',
    seed: '种子',
    cost: '费用',
    link: (url: string, only: boolean) =>
      only
        ? `[下载链接](${url})（⚠️ 链接 1 小时内有效，请尽快保存）`
        : `[原始链接](${url})（1 小时内有效；视频已保存在本话题）`,
    cancelHint: (id: string) => `发送 /cancel ${id} 可取消排队中的任务`,
    auto: '自动',
    seconds: (n: number) => `${n} 秒`,
    yuan: (n: number) => `约 ${n.toFixed(2)} 元`,
  },
  en: {
    title: {
      queued: '🎬 Queued',
      generating: '⏳ Generating',
      done: '✅ Video ready',
      failed: '❌ Failed',
      cancelled: '🚫 Cancelled',
    },
    prompt: 'Prompt',
    model: 'Model',
    duration: 'Duration',
    ratio: 'Ratio',
    image: 'Image',
    imageYes: 'yes (image-to-video)',
    job: 'Job',
    position: (n: number) => (n <= 1 ? 'next to submit' : `#${n} in queue`),
    queuedHint: 'Generation usually takes 1–3 minutes; the video will be posted in this thread.',
    generatingHint: 'Jimeng is generating; the video will be posted in this thread.',
    seed: 'Seed',
    cost: 'Cost',
    link: (url: string, only: boolean) =>
      only
        ? `[Download](${url}) (⚠️ the link expires within 1 hour, save it now)`
        : `[Original link](${url}) (valid 1 hour; the video is saved in this thread)`,
    cancelHint: (id: string) => `Send /cancel ${id} to cancel while queued`,
    auto: 'auto',
    seconds: (n: number) => `${n} s`,
    yuan: (n: number) => `≈ ¥${n.toFixed(2)}`,
  },
} as const;

const TEMPLATE: Record<CardPhase, string> = {
  queued: 'blue',
  generating: 'wathet',
  done: 'green',
  failed: 'red',
  cancelled: 'grey',
};

const plain = (content: string) => ({ tag: 'div', text: { tag: 'plain_text', content } });
const md = (content: string) => ({ tag: 'markdown', content });

/** The job's progress card (Feishu card JSON 2.0), sent once and then patched in place. */
export function jobCard(job: Job, view: CardView, locale: Locale = 'zh'): object {
  const t = L[locale];
  const facts = [
    `**${t.model}**：${job.tier.toUpperCase()}（${job.reqKey}）`,
    `**${t.duration}**：${t.seconds(job.duration)}　**${t.ratio}**：${job.image ? t.auto : (job.ratio ?? '16:9')}`,
  ];
  if (job.image) facts.push(`**${t.image}**：${t.imageYes}`);
  facts.push(`**${t.job}**：${job.id}`);
  const elements: object[] = [md(`**${t.prompt}**`), plain(job.prompt), md(facts.join('\n'))];
  if (view.phase === 'queued') {
    const pos = view.queuePosition ? `${t.position(view.queuePosition)}。` : '';
    const note = view.note ? `${view.note}\n` : '';
    elements.push(md(`${note}${pos}${t.queuedHint}\n${t.cancelHint(job.id)}`));
  } else if (view.phase === 'generating') {
    elements.push(md(t.generatingHint));
  } else if (view.phase === 'done') {
    const lines = [];
    if (job.resultSeed !== undefined) lines.push(`**${t.seed}**：${job.resultSeed}`);
    lines.push(`**${t.cost}**：${t.yuan(job.costYuan)}`);
    if (view.link) lines.push(t.link(view.link, view.linkOnly ?? false));
    elements.push(md(lines.join('\n')));
  } else if (view.reason) {
    elements.push(md(view.reason));
  }
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: t.title[view.phase] }, template: TEMPLATE[view.phase] },
    body: { elements },
  };
}
