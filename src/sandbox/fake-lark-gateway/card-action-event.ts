import { randomBytes } from 'node:crypto';

const hex = (n: number) => randomBytes(n).toString('hex');

export interface CardActionEventInput {
  appId: string;
  /** The app's Verification Token (header.token). */
  token?: string;
  operatorOpenId: string;
  /** The button's `value` (or a form's values, with `tag: 'button'` and formValue). */
  value: Record<string, unknown>;
  tag?: string;
  formValue?: Record<string, unknown>;
  openMessageId: string;
  openChatId: string;
  tenantKey?: string;
  eventId?: string;
  /** ms; default now. */
  createTime?: number;
}

/**
 * A `card.action.trigger` callback (schema 2.0) as Feishu delivers it over the long connection:
 * header.event_type routes it to the EventDispatcher handler of that name; the handler's return
 * value (`{ toast }`, `{ card }`) is the callback's response.
 */
export function buildCardActionEvent(input: CardActionEventInput): Record<string, unknown> {
  const tenantKey = input.tenantKey ?? 'fake_tenant';
  const action: Record<string, unknown> = { value: input.value, tag: input.tag ?? 'button' };
  if (input.formValue) action.form_value = input.formValue;
  return {
    schema: '2.0',
    header: {
      event_id: input.eventId ?? hex(16),
      token: input.token ?? '',
      create_time: String(input.createTime ?? Date.now()),
      event_type: 'card.action.trigger',
      tenant_key: tenantKey,
      app_id: input.appId,
    },
    event: {
      operator: {
        tenant_key: tenantKey,
        user_id: '',
        open_id: input.operatorOpenId,
        union_id: `on_${hex(16)}`,
      },
      token: `c-${hex(20)}`,
      action,
      host: 'im_message',
      context: { open_message_id: input.openMessageId, open_chat_id: input.openChatId },
    },
  };
}
