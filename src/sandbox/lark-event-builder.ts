import { randomBytes } from 'node:crypto';
import { encryptLarkEvent } from '../lark/decrypt-event.js';
import type { LarkEvent } from '../lark/types.js';
import { computeLarkSignature } from '../lark/verify-signature.js';

export { buildCardActionEvent, type CardActionInput } from './card-action-event.js';

const hex = (n: number) => randomBytes(n).toString('hex');

export interface MessageEventInput {
  appId: string;
  /** The app's Verification Token (goes into header.token). */
  token: string;
  messageId?: string;
  eventId?: string;
  chatId: string;
  chatType: 'p2p' | 'group' | string;
  senderOpenId: string;
  senderType?: string;
  msgType: string;
  /** Content object; serialized to the JSON string Feishu sends. */
  content: object;
  mentions?: { key: string; openId: string; name: string }[];
  parentId?: string;
  rootId?: string;
  threadId?: string;
  /** ms; default now. */
  createTime?: number;
  tenantKey?: string;
}

/** An im.message.receive_v1 event exactly as Feishu sends it (before encryption). */
export function buildMessageEvent(input: MessageEventInput): LarkEvent {
  const createTime = String(input.createTime ?? Date.now());
  const tenantKey = input.tenantKey ?? 'fake_tenant';
  const message: Record<string, unknown> = {
    message_id: input.messageId ?? `om_${hex(16)}`,
    root_id: input.rootId ?? '',
    parent_id: input.parentId ?? '',
    create_time: createTime,
    update_time: createTime,
    chat_id: input.chatId,
    chat_type: input.chatType,
    message_type: input.msgType,
    content: JSON.stringify(input.content),
  };
  if (input.threadId) message.thread_id = input.threadId;
  if (input.mentions?.length) {
    message.mentions = input.mentions.map((m) => ({
      key: m.key,
      id: { union_id: `on_${hex(16)}`, user_id: '', open_id: m.openId },
      name: m.name,
      tenant_key: tenantKey,
    }));
  }
  return {
    schema: '2.0',
    header: {
      event_id: input.eventId ?? hex(16),
      event_type: 'im.message.receive_v1',
      create_time: createTime,
      token: input.token,
      app_id: input.appId,
      tenant_key: tenantKey,
    },
    event: {
      sender: {
        sender_id: { open_id: input.senderOpenId, union_id: `on_${hex(16)}`, user_id: '' },
        sender_type: input.senderType ?? 'user',
        tenant_key: tenantKey,
      },
      message,
    },
  };
}

/** An im.message.recalled_v1 event (a user recalled a message), before encryption. */
export function buildMessageRecalledEvent(input: {
  appId: string;
  token: string;
  messageId: string;
  chatId: string;
}): LarkEvent {
  const now = String(Date.now());
  return {
    schema: '2.0',
    header: {
      event_id: hex(16),
      event_type: 'im.message.recalled_v1',
      create_time: now,
      token: input.token,
      app_id: input.appId,
      tenant_key: 'fake_tenant',
    },
    event: {
      message_id: input.messageId,
      chat_id: input.chatId,
      recall_time: now,
      recall_type: 'message_owner',
    },
  };
}

/** A url_verification request as Feishu sends it when you save the request URL. */
export function buildChallenge(token: string, challenge = hex(16)): Record<string, unknown> {
  return { challenge, token, type: 'url_verification' };
}

export interface SignedRequest {
  rawBody: string;
  headers: Record<string, string>;
}

/**
 * Serializes `payload` as Feishu would: with an encrypt key, `{"encrypt": base64(iv||AES-256-CBC)}`
 * plus X-Lark-Request-Timestamp / -Nonce / X-Lark-Signature over the exact raw body.
 */
export function encryptAndSign(input: {
  payload: object;
  encryptKey?: string;
  /** seconds, as a string like Feishu sends; default now. */
  timestamp?: string;
  nonce?: string;
}): SignedRequest {
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  if (!input.encryptKey) return { rawBody: JSON.stringify(input.payload), headers };
  const rawBody = JSON.stringify({
    encrypt: encryptLarkEvent(input.encryptKey, JSON.stringify(input.payload)),
  });
  const timestamp = input.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? hex(8);
  headers['X-Lark-Request-Timestamp'] = timestamp;
  headers['X-Lark-Request-Nonce'] = nonce;
  headers['X-Lark-Signature'] = computeLarkSignature(
    timestamp,
    nonce,
    input.encryptKey,
    Buffer.from(rawBody),
  );
  return { rawBody, headers };
}

/** Sends an event to a receiver the way Feishu does. */
export async function postEvent(
  url: string,
  payload: object,
  opts: { encryptKey?: string; timestamp?: string; nonce?: string; signal?: AbortSignal } = {},
): Promise<{ status: number; body: unknown }> {
  const { rawBody, headers } = encryptAndSign({
    payload,
    ...(opts.encryptKey ? { encryptKey: opts.encryptKey } : {}),
    ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
    ...(opts.nonce ? { nonce: opts.nonce } : {}),
  });
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: rawBody,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}
