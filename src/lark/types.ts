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
