/**
 * What the receivers hand the bot: Feishu deliveries decoded into one typed union, each with an `ack`.
 * These are the normalised shapes; the wire format stays inside lark/.
 */

export interface Mention {
  key: string;
  openId: string;
  name: string;
}

/** One message a user sent, the way the bot wants it. */
export interface ChatMessage {
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group' | string;
  threadId?: string;
  rootId?: string;
  parentId?: string;
  senderOpenId: string;
  messageType: string;
  /** Plain text; `@_user_N` placeholders kept, lines joined with newlines. */
  text: string;
  mentions: Mention[];
  /** An image message's key, or the img keys of a post, in order. */
  imageKeys: string[];
  /** When the message was created (ms). */
  createTime: number;
  eventId: string;
}

/** A click on a card button or a card form submit (`card.action.trigger`). */
export interface CardAction {
  /** The callback's event id: Feishu's dedup key for a re-delivery. */
  eventId: string;
  operatorOpenId: string;
  /** The button's `value` object. */
  value: Record<string, unknown>;
  /** A form's inputs by name, on a form submit. */
  formValue?: Record<string, unknown>;
  tag?: string;
  name?: string;
  /** The card's message and chat. */
  messageId: string;
  chatId: string;
  /** When Feishu created the callback (ms). */
  createTime: number;
}

/** The JSON a card callback may be answered with: a toast, and the card updated at once. */
export interface CardActionAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: object };
}

export type ChatEvent =
  | { type: 'message'; message: ChatMessage; ack(): void }
  | { type: 'cardAction'; action: CardAction; ack(answer?: CardActionAnswer): void }
  /** A user recalled a message (`im.message.recalled_v1`). */
  | { type: 'recalled'; messageId: string; chatId: string; ack(): void }
  /**
   * Anything else Feishu sent (other event types, bots' own messages, a replayed request): acknowledged,
   * not handled. `ageMs` when it was dropped for its age.
   */
  | { type: 'other'; eventType: string; reason: string; ageMs?: number; ack(): void };

/**
 * The bot's side: must be quick (persist and enqueue, then ack): Feishu re-delivers what is not answered
 * within 3 s. A handler that throws before `ack` makes the receiver answer 500 (Feishu retries).
 */
export type ChatEventHandler = (evt: ChatEvent) => Promise<void>;
