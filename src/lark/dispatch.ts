import type { Logger } from '../log.js';
import type { Delivery } from './decode-delivery.js';
import type { CardActionAnswer, ChatEvent, ChatEventHandler } from './events.js';

/**
 * Hands a delivery to the bot and resolves with the answer for Feishu as soon as the handler acks (or
 * finishes without acking: `{}`). Rejects when the handler fails before acking, so the transport can
 * answer with an error and Feishu delivers again. A failure after the ack is only logged.
 *
 * This runs for every delivery, so it allocates little: `delivery` (decodeDelivery makes a fresh one per
 * request) becomes the event by gaining its `ack` rather than being copied, and a handler that acks before
 * its first await (chatter, duplicates: most of the traffic) gets no promise of ours around it. Measured
 * (bench/ingest.ts, chatter): the copy and that promise were ~7 % of a request's CPU.
 */
export function dispatch(
  delivery: Delivery,
  handler: ChatEventHandler,
  log: Logger,
): Promise<CardActionAnswer> {
  let acked = false;
  let answer: CardActionAnswer = {};
  let resolveLater: ((a: CardActionAnswer) => void) | undefined;
  const evt = delivery as ChatEvent;
  evt.ack = (body?: CardActionAnswer) => {
    if (acked) return;
    acked = true;
    if (body) answer = body;
    resolveLater?.(answer);
  };
  const failedAfterAck = (err: unknown) =>
    log.error({ err, type: delivery.type }, 'lark: event handler failed after acknowledging');
  let done: Promise<void>;
  try {
    done = handler(evt);
  } catch (err) {
    done = Promise.reject(err);
  }
  if (acked) {
    done.catch(failedAfterAck);
    return Promise.resolve(answer);
  }
  return new Promise<CardActionAnswer>((resolve, reject) => {
    resolveLater = resolve;
    done.then(
      () => evt.ack(),
      (err: unknown) => {
        if (acked) return failedAfterAck(err);
        acked = true;
        reject(err);
      },
    );
  });
}
