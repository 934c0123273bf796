import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/lark/events.js';
import { createWsReceiver } from '../../src/lark/ws-receiver.js';
import { buildMessageEvent, encryptAndSign } from '../../src/sandbox/lark-event-builder.js';

const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
const event = () =>
  buildMessageEvent({
    appId: 'cli_a1b2c3d4e5f60718',
    token: 'vt',
    chatId: 'oc_1',
    chatType: 'group',
    senderOpenId: 'ou_1',
    msgType: 'text',
    content: { text: '/video 海浪' },
    mentions: [{ key: '@_user_1', openId: 'ou_bot', name: 'bot' }],
  });

/** What the SDK's adapters hand to invoke(): the parsed body, with the headers on its prototype. */
function asSdkRequest(rawBody: string, headers: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.assign(Object.create({ headers: lower }), JSON.parse(rawBody));
}

describe("the SDK's EventDispatcher accepts our builder's events", () => {
  it('decrypts and verifies an encrypted, signed event', async () => {
    const evt = event();
    const got: Record<string, unknown>[] = [];
    const dispatcher = new lark.EventDispatcher({ encryptKey: 'k1', logger: quiet }).register({
      'im.message.receive_v1': async (data) => {
        got.push(data as unknown as Record<string, unknown>);
      },
    });
    const { rawBody, headers } = encryptAndSign({ payload: evt, encryptKey: 'k1' });
    await dispatcher.invoke(asSdkRequest(rawBody, headers));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      event_id: evt.header.event_id,
      message: evt.event.message,
      sender: evt.event.sender,
    });

    const forged = { ...headers, 'X-Lark-Signature': '0'.repeat(64) };
    await dispatcher.invoke(asSdkRequest(rawBody, forged));
    expect(got).toHaveLength(1);
  });
});

describe('createWsReceiver', () => {
  it('hands the long-connection handler the same schema 2.0 event the webhook would', async () => {
    const events: ChatEvent[] = [];
    const ws = createWsReceiver({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: 's',
      onEvent: async (e) => {
        events.push(e);
      },
    });
    const evt = event();
    // WSClient calls invoke(parsedPayload, { needCheck: false })
    await ws.dispatcher.invoke(JSON.parse(JSON.stringify(evt)), { needCheck: false });
    expect(events).toMatchObject([
      {
        type: 'message',
        message: { messageId: evt.event.message.message_id, text: '/video 海浪', chatId: 'oc_1' },
      },
    ]);
  });

  it('lets a handler failure reach the SDK (which answers 500 to Feishu)', async () => {
    const ws = createWsReceiver({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: 's',
      onEvent: async () => {
        throw new Error('boom');
      },
    });
    await expect(
      ws.dispatcher.invoke(JSON.parse(JSON.stringify(event())), { needCheck: false }),
    ).rejects.toThrow('boom');
  });
});
