import type { Logger } from '../log.js';
import type { Delivery } from './decode-delivery.js';
import type { CardActionAnswer, ChatEvent, ChatEventHandler } from './events.js';

/**
 * Hands a delivery to the bot and resolves with the answer for Feishu as soon as the handler acks (or
 * finishes without acking: `{}`). Rejects when the handler fails before acking, so the transport can
 * answer with an error and Feishu delivers again. A failure after the ack is only logged.
 */
export async function dispatch(
  delivery: Delivery,
  handler: ChatEventHandler,
  log: Logger,
): Promise<CardActionAnswer> {
  let acked = false;
  let answer: CardActionAnswer = {};
  let signal!: () => void;
  const ackedP = new Promise<void>((resolve) => {
    signal = resolve;
  });
  const ack = (body?: CardActionAnswer) => {
    if (acked) return;
    acked = true;
    if (body) answer = body;
    signal();
  };
  const evt = { ...delivery, ack } as ChatEvent;
  const run = handler(evt).then(
    () => ack(),
    (err: unknown) => {
      if (!acked) throw err;
      log.error({ err, type: delivery.type }, 'lark: event handler failed after acknowledging');
    },
  );
  await Promise.race([ackedP, run]);
  run.catch(() => {}); // a failure before the ack was thrown by the race already
  return answer;
}
