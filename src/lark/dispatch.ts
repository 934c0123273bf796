import type { Logger } from '../log.js';
import type { Delivery } from './decode-delivery.js';
import type { CardActionAnswer, ChatEvent, ChatEventHandler } from './events.js';

/**
 * Hands a delivery to the bot and resolves with the answer for Feishu as soon as the handler acks (or
 * finishes without acking: `{}`). Rejects when the handler fails before acking, so the transport can
 * answer with an error and Feishu delivers again. A failure after the ack is only logged.
 */
export function dispatch(
  delivery: Delivery,
  handler: ChatEventHandler,
  log: Logger,
): Promise<CardActionAnswer> {
  // One promise settled by whichever comes first, the ack or the handler's end (this runs for every
  // delivery: no race of two promises).
  return new Promise<CardActionAnswer>((resolve, reject) => {
    let acked = false;
    const ack = (body?: CardActionAnswer) => {
      if (acked) return;
      acked = true;
      resolve(body ?? {});
    };
    const failed = (err: unknown) => {
      if (!acked) {
        acked = true;
        reject(err);
        return;
      }
      log.error({ err, type: delivery.type }, 'lark: event handler failed after acknowledging');
    };
    try {
      handler({ ...delivery, ack } as ChatEvent).then(() => ack(), failed);
    } catch (err) {
      failed(err);
    }
  });
}
