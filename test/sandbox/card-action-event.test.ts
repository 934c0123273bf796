import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { decryptLarkEvent } from '../../src/lark/decrypt-event.js';
import { verifyLarkSignature } from '../../src/lark/verify-signature.js';
import { buildCardActionEvent, postEvent } from '../../src/sandbox/lark-event-builder.js';
import { readBody } from '../../src/util/read-body.js';

const ENCRYPT_KEY = 'card-test-encrypt-key';
const TOKEN = 'verification-token-0001';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event`;
}

const click = () =>
  buildCardActionEvent({
    appId: 'cli_card000000000001',
    token: TOKEN,
    messageId: 'om_card',
    chatId: 'oc_chat',
    operatorOpenId: 'ou_alice',
    value: { action: 'cancel', job: 'J0007' },
    name: 'cancel_button',
    createTime: 1_700_000_000_123,
  });

describe('buildCardActionEvent', () => {
  it('builds card.action.trigger in callback schema 2.0 as the official page shows it', () => {
    const e = click();
    expect(e).toEqual({
      schema: '2.0',
      header: {
        event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        token: TOKEN,
        create_time: '1700000000123000', // microseconds
        event_type: 'card.action.trigger',
        tenant_key: 'fake_tenant',
        app_id: 'cli_card000000000001',
      },
      event: {
        operator: {
          tenant_key: 'fake_tenant',
          user_id: '',
          open_id: 'ou_alice',
          union_id: expect.any(String),
        },
        token: expect.stringMatching(/^c-/),
        action: { tag: 'button', value: { action: 'cancel', job: 'J0007' }, name: 'cancel_button' },
        host: 'im_message',
        context: { open_message_id: 'om_card', open_chat_id: 'oc_chat' },
      },
    });
    const form = buildCardActionEvent({
      appId: 'cli_x',
      token: TOKEN,
      messageId: 'om_card',
      chatId: 'oc_chat',
      operatorOpenId: 'ou_bob',
      formValue: { prompt: '橘猫', duration: '10' },
    });
    expect(form.event.action).toEqual({
      tag: 'button',
      value: {},
      form_value: { prompt: '橘猫', duration: '10' },
    });
  });

  it('is posted encrypted and signed over the raw body, like any event', async () => {
    let seen: { raw: Buffer; headers: Record<string, string | string[] | undefined> } | undefined;
    const url = await listen(async (req, res) => {
      seen = { raw: await readBody(req, { limit: 1 << 20 }), headers: req.headers };
      res.end('{}');
    });
    expect((await postEvent(url, click(), { encryptKey: ENCRYPT_KEY })).status).toBe(200);
    const { raw, headers } = seen!;
    expect(
      verifyLarkSignature({
        timestamp: String(headers['x-lark-request-timestamp']),
        nonce: String(headers['x-lark-request-nonce']),
        encryptKey: ENCRYPT_KEY,
        rawBody: raw,
        signature: String(headers['x-lark-signature']),
      }),
    ).toBe(true);
    const plain = JSON.parse(decryptLarkEvent(ENCRYPT_KEY, JSON.parse(raw.toString()).encrypt));
    expect(plain.header.event_type).toBe('card.action.trigger');
    expect(plain.event.context).toEqual({ open_message_id: 'om_card', open_chat_id: 'oc_chat' });
  });

  it("is understood by the official SDK's EventDispatcher and normalizeCardAction", async () => {
    const got: unknown[] = [];
    const dispatcher = new lark.EventDispatcher({
      encryptKey: ENCRYPT_KEY,
      verificationToken: TOKEN,
      loggerLevel: lark.LoggerLevel.fatal,
    }).register({
      'card.action.trigger': async (data: unknown) => {
        got.push(data);
        return { toast: { type: 'success', content: '已取消' } };
      },
    } as never);
    const url = await listen(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }));
    const answer = await postEvent(url, click(), { encryptKey: ENCRYPT_KEY });
    expect(answer).toEqual({ status: 200, body: { toast: { type: 'success', content: '已取消' } } });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ event_type: 'card.action.trigger', action: { value: { job: 'J0007' } } });
    expect(lark.normalizeCardAction(click().event)).toEqual({
      messageId: 'om_card',
      chatId: 'oc_chat',
      operator: expect.objectContaining({ openId: 'ou_alice' }),
      action: { value: { action: 'cancel', job: 'J0007' }, tag: 'button', name: 'cancel_button' },
    });
  });
});
