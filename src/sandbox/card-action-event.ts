/**
 * A card callback (`card.action.trigger`, callback schema 2.0) exactly as Feishu delivers it when a user
 * clicks a button or submits a form on a card the bot sent. Shape from the official page 卡片回传交互回调
 * (https://open.feishu.cn/document/feishu-cards/card-callback-communication) and the SDK's
 * RawCardActionEvent (node_modules/@larksuiteoapi/node-sdk/types: ids nested under `context`):
 * - header: event_id, token (the Verification Token), create_time (a microsecond timestamp, e.g.
 *   "1603977298000000"), event_type "card.action.trigger", tenant_key, app_id;
 * - event: operator {tenant_key, user_id, open_id, union_id}, token (a "c-…" card-update token, 30 min,
 *   2 updates), action {value, tag, timezone?, name?, form_value?, input_value?, option?, options?,
 *   checked?}, host "im_message", context {open_message_id, open_chat_id}.
 * postEvent() encrypts and signs it like any event.
 */
import { randomBytes } from 'node:crypto';
import type { LarkEvent } from '../lark/types.js';

const hex = (n: number) => randomBytes(n).toString('hex');

export interface CardActionInput {
  appId: string;
  /** The app's Verification Token (header.token). */
  token: string;
  /** The card message the user acted on, and its chat. */
  messageId: string;
  chatId: string;
  operatorOpenId: string;
  operatorUserId?: string;
  operatorUnionId?: string;
  /** The component's tag: 'button' (default), 'select_static', 'input', 'form' submit button, ... */
  tag?: string;
  /** The component's callback `value` (an object, as the bot built it). */
  value?: Record<string, unknown>;
  /** The component's `name` (form children and named buttons). */
  name?: string;
  /** What a form submitted: field name → value. */
  formValue?: Record<string, unknown>;
  /** A select's chosen option (outside a form). */
  option?: string;
  /** An input's text (outside a form). */
  inputValue?: string;
  timezone?: string;
  eventId?: string;
  /** The card-update token (event.token); default a fresh "c-…" one. */
  cardToken?: string;
  /** ms; default now (sent as microseconds). */
  createTime?: number;
  tenantKey?: string;
}

export function buildCardActionEvent(input: CardActionInput): LarkEvent {
  const tenantKey = input.tenantKey ?? 'fake_tenant';
  const action: Record<string, unknown> = { tag: input.tag ?? 'button', value: input.value ?? {} };
  if (input.name !== undefined) action.name = input.name;
  if (input.formValue !== undefined) action.form_value = input.formValue;
  if (input.option !== undefined) action.option = input.option;
  if (input.inputValue !== undefined) action.input_value = input.inputValue;
  if (input.timezone !== undefined) action.timezone = input.timezone;
  return {
    schema: '2.0',
    header: {
      event_id: input.eventId ?? hex(16),
      token: input.token,
      create_time: `${input.createTime ?? Date.now()}000`,
      event_type: 'card.action.trigger',
      tenant_key: tenantKey,
      app_id: input.appId,
    },
    event: {
      operator: {
        tenant_key: tenantKey,
        user_id: input.operatorUserId ?? '',
        open_id: input.operatorOpenId,
        union_id: input.operatorUnionId ?? `on_${hex(16)}`,
      },
      token: input.cardToken ?? `c-${hex(20)}`,
      action,
      host: 'im_message',
      context: { open_message_id: input.messageId, open_chat_id: input.chatId },
    },
  };
}
