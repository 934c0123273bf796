import type { CardAction, CardActionAnswer } from '../lark/events.js';
import type { StorePort } from '../store/port.js';
import { cancelJob } from './cancel-job.js';
import type { Texts } from './texts/texts.js';

export interface CardActionOptions {
  store: StorePort;
  texts: Texts;
  admins: readonly string[];
  now(): number;
  onChange(): void;
}

/**
 * A card callback as it arrives: deduplicated on its event id (a re-delivered callback changes nothing
 * twice), answered, and done. Null for a duplicate.
 */
export async function takeCardAction(
  o: CardActionOptions,
  action: CardAction,
): Promise<CardActionAnswer | null> {
  const fresh = await o.store.accept({
    id: action.eventId,
    kind: 'cardAction',
    receivedAt: o.now(),
    payload: action,
  });
  if (!fresh) return null;
  const answer = await handleCardAction(o, action);
  await o.store.finishInbox(action.eventId);
  return answer;
}

/**
 * A click on one of the bot's cards, answered within Feishu's 3 s with a toast. The click's `value` says
 * what to do: `{ action, job }`. Only quick store steps happen here; any real work is queued.
 */
export async function handleCardAction(o: CardActionOptions, action: CardAction): Promise<CardActionAnswer> {
  const t = o.texts;
  const kind = typeof action.value.action === 'string' ? action.value.action : '';
  const jobId = typeof action.value.job === 'string' ? action.value.job : '';
  if (kind === 'cancel' && jobId) {
    const r = await cancelJob(
      o.store,
      jobId,
      action.operatorOpenId,
      o.admins.includes(action.operatorOpenId),
      o.now(),
    );
    if (r.ok) {
      o.onChange();
      return { toast: { type: 'success', content: t.cancelled(r.job.id) } };
    }
    if (r.reason === 'not_found') return { toast: { type: 'warning', content: t.cancelNotFound(jobId) } };
    if (r.reason === 'not_yours') return { toast: { type: 'warning', content: t.cancelNotYours } };
    return { toast: { type: 'info', content: t.cancelTooLate(r.job.id, r.job.state) } };
  }
  return { toast: { type: 'info', content: t.mentionOnly({ chatType: 'group' }) } };
}
