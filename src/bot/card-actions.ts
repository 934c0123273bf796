import type { ModelCatalog } from '../jimeng/models.js';
import type { CardAction, CardActionAnswer } from '../lark/events.js';
import type { Logger } from '../log.js';
import type { JobDraft, QuotaPolicy, StorePort } from '../store/port.js';
import type { Job } from '../store/records.js';
import { cancelJob } from './cancel-job.js';
import { dayOf } from './day-of.js';
import { CARD_ACTIONS, type CardActionKind, canRetry, variantOf } from './job-variants.js';
import type { BotPresenter } from './presenter.js';
import type { Texts } from './texts/texts.js';
import { randomSeed } from './video-spec.js';

export interface CardActionOptions {
  store: StorePort;
  texts: Texts;
  presenter: BotPresenter;
  catalog: ModelCatalog;
  policy: QuotaPolicy;
  timezone: string;
  admins: readonly string[];
  log: Logger;
  now(): number;
  /**
   * Runs `fn` after `ms` (the bot's clock). The card shown with the pressed button is put back to the
   * job's own card once the double-click window is over, so the button can be pressed again.
   */
  later(fn: () => void, ms: number): void;
  random?: () => number;
  onChange(): void;
}

/** Two clicks of one user on one button within this long, while the first job still waits, make one job. */
const DOUBLE_CLICK_MS = 10_000;

/**
 * A card callback as it arrives: deduplicated on its event id (a re-delivered callback changes nothing
 * twice), answered, and done. Null for a duplicate.
 */
export async function takeCardAction(
  o: CardActionOptions,
  action: CardAction,
): Promise<CardActionAnswer | null> {
  const now = o.now();
  // Claimed at once: handled here and now, not by another replica's drain.
  const fresh = await o.store.accept(
    { id: action.eventId, kind: 'cardAction', receivedAt: now, payload: action },
    { now, leaseMs: 60_000 },
  );
  if (!fresh) return null;
  const answer = await handleCardAction(o, action);
  await o.store.finishInbox(action.eventId);
  return answer;
}

const toast = (type: 'success' | 'info' | 'warning' | 'error', content: string): CardActionAnswer => ({
  toast: { type, content },
});

/**
 * A click on one of the bot's cards, answered within Feishu's 3 s with a toast (and the card updated at
 * once where it changed). `value` is `{ action, job }`. A click that makes a video is a new job of the
 * clicker, checked like a typed `/video` (pause, budget, quotas, in-flight cap) and queued; the work
 * itself happens later, like any job's.
 */
export async function handleCardAction(o: CardActionOptions, action: CardAction): Promise<CardActionAnswer> {
  const t = o.texts;
  const kind = action.value.action as CardActionKind;
  const jobId = typeof action.value.job === 'string' ? action.value.job : '';
  if (!CARD_ACTIONS.includes(kind)) return toast('info', t.actions.unknown);
  const source = await o.store.job(jobId);
  if (!source) return toast('warning', t.actions.gone(jobId || '?'));
  const by = action.operatorOpenId;
  const now = o.now();

  if (kind === 'cancel') {
    const r = await cancelJob(o.store, source.id, by, o.admins.includes(by), now);
    if (!r.ok) {
      if (r.reason === 'not_yours') return toast('warning', t.cancelNotYours);
      if (r.reason === 'too_late') return toast('info', t.cancelTooLate(r.job.id, r.job.state));
      return toast('warning', t.actions.gone(jobId));
    }
    o.onChange();
    return {
      ...toast('success', t.cancelled(r.job.id)),
      card: { type: 'raw', data: o.presenter.card(r.job, { queuePosition: 0, now }) },
    };
  }

  if (kind === 'retry' && !canRetry(source)) return toast('info', t.actions.cannotRetry);
  // The variants belong to a finished video (a stale or hand-made callback on a queued card asks too early).
  if (kind !== 'retry' && source.state !== 'delivered') return toast('info', t.actions.notReady);
  const v = variantOf(source, kind, o.catalog, String(action.formValue?.prompt ?? ''));
  if (!v.ok) {
    const why = {
      already_hd: t.actions.alreadyHd,
      already_long: t.actions.alreadyLong,
      not_available: t.actions.notAvailable,
      empty_prompt: t.actions.emptyPrompt,
      prompt_too_long: t.actions.promptTooLong,
    }[v.why];
    return toast('info', why);
  }
  const dup = await doubleClick(o.store, source, by, kind, v.variant.prompt, now);
  if (dup) {
    const position = dup.state === 'queued' ? await o.store.queuePosition(dup.id) : 0;
    const text =
      position > 0
        ? t.actions.duplicate(dup.id, position)
        : dup.state === 'delivered'
          ? t.actions.duplicateDone(dup.id)
          : t.actions.duplicateRunning(dup.id);
    return toast('info', text);
  }

  const variant = v.variant;
  const draft: JobDraft = {
    sourceId: action.eventId,
    messageId: action.messageId,
    chatId: action.chatId,
    chatType: source.chatType,
    userOpenId: by,
    origin: { action: kind, fromJob: source.id },
    prompt: variant.prompt,
    tier: variant.tier,
    reqKey: variant.reqKey,
    duration: variant.duration,
    ...(source.ratio ? { ratio: source.ratio } : {}),
    seed: variant.seed ?? randomSeed(o.random),
    ...(source.images ? { images: source.images } : {}),
    ...(source.camera ? { camera: source.camera } : {}),
    day: dayOf(now, o.timezone),
    costYuan: variant.costYuan,
  };
  // No image bytes here: the submitter fetches the source's images from Feishu (the click stays quick).
  const r = await o.store.createJob(draft, o.policy, { now });
  if (!r.ok) {
    // Only a job made from an inbox item can find it handled elsewhere; this one names none.
    if (!('refusal' in r)) throw new Error('createJob without an inbox item answered handledElsewhere');
    return toast('warning', t.refusal(r.refusal));
  }
  o.log.info(
    { jobId: r.job.id, fromJob: source.id, action: kind, user: by, state: 'queued' },
    `job ${r.job.id} → queued (${kind} of ${source.id})`,
  );
  // Its place before the runner is woken (a quick submitter would make it 0).
  const position = await o.store.queuePosition(r.job.id);
  o.onChange();
  await restoreLater(o, source, now);
  return {
    ...toast('success', t.actions.queued(r.job.id, position)),
    card: { type: 'raw', data: o.presenter.pressedCard(source, kind, 0) },
  };
}

/**
 * The job an earlier click of the same user on the same button made within the window, whatever its
 * state now (a quick first job may already be at Jimeng when the second click lands): a double click is
 * about the clicks, not the queue. Cancelled or failed ones do not count, so trying again works.
 */
async function doubleClick(
  store: StorePort,
  source: Job,
  by: string,
  kind: CardActionKind,
  prompt: string,
  now: number,
): Promise<Job | undefined> {
  const recent = await store.jobsOfUser(by, 20);
  return recent.find(
    (j) =>
      j.state !== 'cancelled' &&
      j.state !== 'failed' &&
      j.origin?.fromJob === source.id &&
      j.origin.action === kind &&
      now - j.createdAt < DOUBLE_CLICK_MS &&
      (kind !== 'edit' || j.prompt === prompt),
  );
}

/**
 * The answer card shows the pressed button as queued; Feishu keeps showing it until the card is patched.
 * The job's card is marked for sending again once the double-click window is over (the card owner then
 * patches it back to its own buttons), in the store, so a restart meanwhile still puts it back; the
 * timer only wakes the card owner when that time comes.
 */
async function restoreLater(o: CardActionOptions, source: Job, now: number): Promise<void> {
  try {
    await o.store.transition(
      source.id,
      { from: [source.state], card: { after: now + DOUBLE_CLICK_MS } },
      now,
    );
  } catch (err) {
    o.log.warn({ err, jobId: source.id }, 'could not mark the card to be put back');
    return;
  }
  o.later(() => o.onChange(), DOUBLE_CLICK_MS);
}
