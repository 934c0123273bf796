/** Header of a schema 2.0 event. */
export interface LarkEventHeader {
  event_id: string;
  event_type: string;
  create_time: string;
  token: string;
  app_id: string;
  tenant_key: string;
}

/** A decrypted, parsed schema 2.0 event as Feishu sends it (`{schema, header, event}`). */
export interface LarkEvent {
  schema: string;
  header: LarkEventHeader;
  // biome-ignore lint/suspicious/noExplicitAny: the event body differs per event_type
  event: any;
}

/** One message, the way the bot layer wants it. */
export interface IncomingMessage {
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group' | string;
  threadId?: string;
  rootId?: string;
  parentId?: string;
  senderOpenId: string;
  senderType: string;
  messageType: string;
  /** Plain text; `@_user_N` placeholders kept. */
  text: string;
  mentions: { key: string; openId: string; name: string }[];
  /** image message's key, or the img keys of a post. */
  imageKeys: string[];
  /** ms since epoch */
  createTime: number;
  eventId: string;
}
