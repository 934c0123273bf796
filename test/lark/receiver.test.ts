import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/lark/events.js';
import { createReceiverRouter, type ReceiverOptions } from '../../src/lark/receiver.js';
import {
  buildCardActionEvent,
  buildChallenge,
  buildMessageEvent,
  encryptAndSign,
  postEvent,
} from '../../src/sandbox/lark-event-builder.js';

const ENCRYPT_KEY = 'enc-key-123';
const TOKEN = 'verification-token';
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function start(opts: Partial<ReceiverOptions> = {}) {
  const events: string[] = [];
  const router = createReceiverRouter({
    verificationToken: TOKEN,
    encryptKey: ENCRYPT_KEY,
    onEvent: async (evt: ChatEvent) => {
      events.push(evt.type === 'message' ? evt.message.messageId : evt.type);
    },
    ...opts,
  });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhook/event`, events };
}

const event = () =>
  buildMessageEvent({
    appId: 'cli_a1b2c3d4e5f60718',
    token: TOKEN,
    chatId: 'oc_1',
    chatType: 'group',
    senderOpenId: 'ou_1',
    msgType: 'text',
    content: { text: '@_user_1 /video 海边日落' },
  });

describe('receiver (encrypted mode)', () => {
  it('accepts an encrypted, signed event and hands over the decrypted event', async () => {
    const { url, events } = await start();
    const evt = event();
    const res = await postEvent(url, evt, { encryptKey: ENCRYPT_KEY });
    expect(res).toEqual({ status: 200, body: {} });
    expect(events).toEqual([evt.event.message.message_id]);
  });

  it('rejects a forged signature with 401 and does not call onEvent', async () => {
    const { url, events } = await start();
    const { rawBody, headers } = encryptAndSign({ payload: event(), encryptKey: ENCRYPT_KEY });
    headers['X-Lark-Signature'] = 'f'.repeat(64);
    const res = await fetch(url, { method: 'POST', headers, body: rawBody });
    expect(res.status).toBe(401);
    expect(events).toEqual([]);
  });

  it('rejects a body signed with another key and an unsigned event', async () => {
    const { url, events } = await start();
    expect((await postEvent(url, event(), { encryptKey: 'other-key' })).status).toBe(401);
    const { rawBody } = encryptAndSign({ payload: event(), encryptKey: ENCRYPT_KEY });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: rawBody,
    });
    expect(res.status).toBe(401);
    expect(events).toEqual([]);
  });

  it('rejects a wrong verification token with 401', async () => {
    const { url, events } = await start();
    const evt = event();
    evt.header.token = 'wrong';
    expect((await postEvent(url, evt, { encryptKey: ENCRYPT_KEY })).status).toBe(401);
    expect(events).toEqual([]);
  });

  it('answers the url_verification challenge (encrypted, signed or not)', async () => {
    const { url } = await start();
    const challenge = buildChallenge(TOKEN, 'ch-1');
    expect(await postEvent(url, challenge, { encryptKey: ENCRYPT_KEY })).toEqual({
      status: 200,
      body: { challenge: 'ch-1' },
    });
    const { rawBody } = encryptAndSign({ payload: challenge, encryptKey: ENCRYPT_KEY });
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: rawBody,
    });
    expect(await unsigned.json()).toEqual({ challenge: 'ch-1' });
    expect((await postEvent(url, buildChallenge('bad'), { encryptKey: ENCRYPT_KEY })).status).toBe(401);
  });

  it('answers 400 to malformed JSON and to events without header', async () => {
    const { url, events } = await start({ encryptKey: undefined });
    const res = await fetch(url, { method: 'POST', body: '{"schema":' });
    expect(res.status).toBe(400);
    expect((await postEvent(url, { schema: '2.0', token: TOKEN })).status).toBe(400);
    expect((await postEvent(url, { schema: '2.0' })).status).toBe(401);
    expect((await postEvent(url, { schema: '2.0', header: { token: TOKEN } })).status).toBe(400);
    expect((await postEvent(url, [1, 2])).status).toBe(400);
    expect(events).toEqual([]);
  });

  it('answers 413 once the body exceeds maxBodyBytes (declared or streamed)', async () => {
    const { url, events } = await start({ maxBodyBytes: 1024 });
    const big = await fetch(url, { method: 'POST', body: JSON.stringify({ pad: 'x'.repeat(5000) }) });
    expect(big.status).toBe(413);
    // chunked: no content-length, the limit applies while streaming
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write('y'.repeat(600));
      req.end();
    });
    expect(status).toBe(413);
    expect(events).toEqual([]);
  });

  it('answers 500 when onEvent throws (so Feishu re-pushes)', async () => {
    const { url } = await start({
      onEvent: async () => {
        throw new Error('db down');
      },
    });
    expect((await postEvent(url, event(), { encryptKey: ENCRYPT_KEY })).status).toBe(500);
  });

  it('waits for onEvent before answering', async () => {
    let persisted = false;
    const { url } = await start({
      onEvent: async () => {
        await new Promise((r) => setTimeout(r, 20));
        persisted = true;
      },
    });
    expect((await postEvent(url, event(), { encryptKey: ENCRYPT_KEY })).status).toBe(200);
    expect(persisted).toBe(true);
  });
});

describe('receiver: answers and card callbacks', () => {
  it('answers as soon as the handler acks, with what it acked', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((r) => {
      finish = r;
    });
    const { url } = await start({
      onEvent: async (evt) => {
        evt.ack();
        await finished; // the answer must not wait for this
      },
    });
    expect(await postEvent(url, event(), { encryptKey: ENCRYPT_KEY })).toEqual({ status: 200, body: {} });
    finish();
  });

  it('card callbacks come to the same URL (and /webhook/card), verified like events; the toast is the answer', async () => {
    const seen: ChatEvent[] = [];
    const { url } = await start({
      onEvent: async (evt) => {
        seen.push(evt);
        if (evt.type === 'cardAction') evt.ack({ toast: { type: 'success', content: 'queued #1' } });
      },
    });
    const click = buildCardActionEvent({
      appId: 'cli_a1b2c3d4e5f60718',
      token: TOKEN,
      operatorOpenId: 'ou_clicker',
      value: { action: 'reroll', job: 'J0001' },
      messageId: 'om_card',
      chatId: 'oc_1',
    });
    for (const path of ['/webhook/event', '/webhook/card']) {
      const res = await postEvent(url.replace('/webhook/event', path), click, { encryptKey: ENCRYPT_KEY });
      expect(res).toEqual({ status: 200, body: { toast: { type: 'success', content: 'queued #1' } } });
    }
    expect(seen[0]).toMatchObject({
      type: 'cardAction',
      action: {
        operatorOpenId: 'ou_clicker',
        value: { action: 'reroll', job: 'J0001' },
        messageId: 'om_card',
        chatId: 'oc_1',
      },
    });
    const { rawBody, headers } = encryptAndSign({ payload: click, encryptKey: ENCRYPT_KEY });
    headers['X-Lark-Signature'] = 'f'.repeat(64);
    expect((await fetch(url, { method: 'POST', headers, body: rawBody })).status).toBe(401);
    expect(seen).toHaveLength(2);
  });
});

describe('receiver (plain mode, no encrypt key)', () => {
  it('accepts a plain event with the right token', async () => {
    const { url, events } = await start({ encryptKey: undefined });
    const evt = event();
    expect((await postEvent(url, evt)).status).toBe(200);
    expect(events).toEqual([evt.event.message.message_id]);
  });

  it('rejects a wrong token and answers the challenge', async () => {
    const { url, events } = await start({ encryptKey: undefined });
    const evt = event();
    evt.header.token = 'nope';
    expect((await postEvent(url, evt)).status).toBe(401);
    expect(await postEvent(url, buildChallenge(TOKEN, 'c2'))).toEqual({
      status: 200,
      body: { challenge: 'c2' },
    });
    expect(events).toEqual([]);
  });

  it('answers 400 to an encrypted body when no key is configured', async () => {
    const { url, events } = await start({ encryptKey: undefined });
    expect((await postEvent(url, event(), { encryptKey: ENCRYPT_KEY })).status).toBe(400);
    expect(events).toEqual([]);
  });
});
