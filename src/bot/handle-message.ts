import type { ChatMessage } from '../lark/events.js';
import { idempotencyKey } from '../lark/idempotency-key.js';
import type { Messenger } from '../lark/messenger.js';
import type { Logger } from '../log.js';
import type { QuotaPolicy, StorePort } from '../store/port.js';
import type { BotServices, CommandContext, Reply } from './commands/command.js';
import { withBoundary } from './error-boundary.js';
import { type Route, routeMessage } from './router.js';
import type { Texts } from './texts/texts.js';

export interface MessageHandlerOptions {
  store: StorePort;
  messenger: Pick<Messenger, 'replyText' | 'replyCard'>;
  services: BotServices;
  policy: QuotaPolicy;
  timezone: string;
  admins: readonly string[];
  texts: Texts;
  log: Logger;
  now(): number;
  botOpenId(): string | undefined;
}

/**
 * Handles one persisted message: route it to its command, send the command's answer in the thread (one
 * uuid per message, so a repeat after a crash is a no-op at Feishu), and take it out of the inbox.
 * Any failure becomes an apology; the message is then done, not retried forever.
 */
export async function handleMessage(
  o: MessageHandlerOptions,
  msg: ChatMessage,
  routed?: Route,
): Promise<void> {
  const t = o.texts;
  const botOpenId = o.botOpenId();
  // Routed already when the receiver's quick check just did it (no second parse); from the inbox, again.
  const { parsed, command } =
    routed ??
    routeMessage(msg.text, {
      mentions: msg.mentions,
      chatType: msg.chatType,
      ...(botOpenId ? { botOpenId } : {}),
    });
  o.log.info(
    { messageId: msg.messageId, user: msg.senderOpenId, chatId: msg.chatId, command: parsed.type },
    `message ${msg.messageId}: ${parsed.type}`,
  );
  const opts = { uuid: idempotencyKey(msg.messageId, 'r'), inThread: true, chatId: msg.chatId };
  const send = async (reply: Reply) => {
    if (!reply) return;
    if ('card' in reply) await o.messenger.replyCard(msg.messageId, reply.card, opts);
    else await o.messenger.replyText(msg.messageId, reply.text, opts);
  };
  await withBoundary(
    o.log,
    { messageId: msg.messageId, command: parsed.type },
    async () => {
      if (parsed.type === 'ignore') return;
      if (parsed.type === 'mention_only') return send({ text: t.mentionOnly({ chatType: msg.chatType }) });
      if (parsed.type === 'error' || !command) return send({ text: t.parseError(parsed as never) });
      const isAdmin = o.admins.includes(msg.senderOpenId);
      if (command.adminOnly && !isAdmin) return send({ text: t.notAdmin });
      const ctx: CommandContext = {
        msg,
        t,
        store: o.store,
        policy: o.policy,
        timezone: o.timezone,
        isAdmin,
        now: o.now(),
        log: o.log,
        services: o.services,
      };
      await send(await command.handle(parsed, ctx));
    },
    (incident) => send({ text: t.internalError(incident) }),
  );
  await o.store.finishInbox(msg.messageId);
}
