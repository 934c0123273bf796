import type { ModelMode } from '../jimeng/model-definitions.js';
import type { ModelCatalog } from '../jimeng/models.js';
import type { Job, Tier } from '../store/records.js';
import { MAX_PROMPT_CHARS } from './parse/video-args.js';

/** What a card button asks for, by its `value.action`. */
export type CardActionKind = 'reroll' | 'hd' | 'long' | 'edit' | 'retry' | 'cancel';
export const CARD_ACTIONS: readonly CardActionKind[] = ['reroll', 'hd', 'long', 'edit', 'retry', 'cancel'];

export function modeOfJob(job: Pick<Job, 'camera' | 'images'>): ModelMode {
  if (job.camera) return 'camera';
  const n = job.images?.length ?? 0;
  return n >= 2 ? 'first_last_frame' : n === 1 ? 'first_frame' : 'text';
}

/** The parameters of a job made from another one by a button. */
export interface Variant {
  prompt: string;
  tier: Tier;
  reqKey: string;
  duration: 5 | 10;
  /** undefined: the bot picks a new one. */
  seed: number | undefined;
  costYuan: number;
}

export type VariantResult =
  | { ok: true; variant: Variant }
  | { ok: false; why: 'already_hd' | 'already_long' | 'not_available' | 'empty_prompt' | 'prompt_too_long' };

/**
 * The job a button makes from `job`: 再来一个 (same everything, new seed), 高清版 (same seed at 1080P), 10 秒版
 * (same seed, 10 s), 改提示词 (same seed, the edited prompt), 重试 (the same job again).
 */
export function variantOf(
  job: Job,
  kind: Exclude<CardActionKind, 'cancel'>,
  catalog: ModelCatalog,
  editedPrompt?: string,
): VariantResult {
  let tier = job.tier;
  let duration = job.duration;
  let prompt = job.prompt;
  let seed: number | undefined = job.seed;
  if (kind === 'reroll') seed = undefined;
  if (kind === 'hd') {
    if (tier !== '720p') return { ok: false, why: 'already_hd' };
    tier = '1080p';
  }
  if (kind === 'long') {
    if (duration === 10) return { ok: false, why: 'already_long' };
    duration = 10;
  }
  if (kind === 'edit') {
    prompt = (editedPrompt ?? '').trim();
    if (!prompt) return { ok: false, why: 'empty_prompt' };
    if ([...prompt].length > MAX_PROMPT_CHARS) return { ok: false, why: 'prompt_too_long' };
  }
  let reqKey: string;
  try {
    reqKey = catalog.resolve(tier, modeOfJob(job)).reqKey;
  } catch {
    return { ok: false, why: 'not_available' };
  }
  const model = catalog.get(reqKey)!;
  if (!model.durations.includes(duration)) return { ok: false, why: 'not_available' };
  return {
    ok: true,
    variant: { prompt, tier, reqKey, duration, seed, costYuan: catalog.priceOf(model, duration) },
  };
}

/** Failures another try may cure (not a refused prompt or image, nor the operator's configuration). */
const FINAL_CODES = new Set([
  'CONTENT_RISK_INPUT_TEXT',
  'CONTENT_RISK_INPUT_IMAGE',
  'CONTENT_RISK_OUTPUT_TEXT',
  'INVALID_INPUT',
  'ACCESS_DENIED',
  'AUTH',
  'SIGNATURE',
  'BAD_REQUEST',
  'CANCELLED_RECALLED',
  'UNDELIVERABLE',
]);

export const canRetry = (job: Job): boolean =>
  job.state === 'failed' && !FINAL_CODES.has(job.error?.code ?? '');

/** The buttons a job's card offers now, each with what it would cost. */
export function buttonsFor(job: Job, catalog: ModelCatalog): { kind: CardActionKind; costYuan?: number }[] {
  if (job.undeliverable) return [];
  if (job.state === 'queued') return [{ kind: 'cancel' }];
  const offer = (kind: Exclude<CardActionKind, 'cancel'>) => {
    const v = variantOf(job, kind, catalog, job.prompt);
    return v.ok ? [{ kind, costYuan: v.variant.costYuan }] : [];
  };
  if (job.state === 'delivered')
    return [...offer('reroll'), ...offer('hd'), ...offer('long'), ...offer('edit')];
  if (canRetry(job)) return offer('retry');
  return [];
}
