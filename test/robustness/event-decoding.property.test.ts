import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptLarkEvent } from '../../src/lark/decrypt-event.js';
import { computeLarkSignature } from '../../src/lark/verify-signature.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { testSandbox } from '../helpers/sandbox.js';

// Random bodies, headers and encrypted payloads through the real receiver and bot (the sandbox app on a real
// socket). Every answer must be 200 or a 4xx: garbage is never a 5xx (Feishu would re-push it for 7 h) and
// nothing ends as an unhandled rejection.
let sb: Sandbox;
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  sb = await testSandbox({
    QUOTA_USER_DAILY: '100000',
    QUOTA_MAX_IN_FLIGHT: '100000',
    BUDGET_DAILY_YUAN: '0',
  });
});
afterAll(async () => {
  await sb?.close();
  process.off('unhandledRejection', onRejection);
});

async function post(body: string | Uint8Array, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(sb.webhookUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Signs and encrypts `plaintext` with the app's real key: only the content is hostile. */
async function postEncrypted(plaintext: string): Promise<number> {
  const key = sb.config.lark.encryptKey;
  const raw = JSON.stringify({ encrypt: encryptLarkEvent(key, plaintext) });
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = 'n0nce';
  return post(raw, {
    'X-Lark-Request-Timestamp': ts,
    'X-Lark-Request-Nonce': nonce,
    'X-Lark-Signature': computeLarkSignature(ts, nonce, key, Buffer.from(raw)),
  });
}

const ok = (status: number) => status === 200 || (status >= 400 && status < 500);
const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,80}$/);
/** Values of every JSON type, biased towards the shapes the decoder looks at. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string(), { maxKeys: 3 }),
);
const hostileText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc
    .tuple(
      fc.constantFrom(
        '/video ',
        '/视频 ',
        '/help',
        '/jobs',
        '/cancel ',
        '/quota ',
        '/usage ',
        '@_user_1 /video ',
      ),
      fc.string({ maxLength: 200 }),
    )
    .map(([a, b]) => a + b),
  fc.constantFrom(
    '/video --model',
    '/video -d',
    '/video -d 7 x',
    '/video --seed -1e999 a',
    '/video -r 0:0 a',
  ),
);

describe('event decoding under hostile input', () => {
  it('random raw bytes and strings, unsigned: 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 512 })), async (body) => {
        expect(ok(await post(body))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('random JSON with random Lark headers: 4xx or 200, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.record({
          'X-Lark-Request-Timestamp': headerValue,
          'X-Lark-Request-Nonce': headerValue,
          'X-Lark-Signature': headerValue,
        }),
        fc.boolean(),
        async (json, headers, withHeaders) => {
          expect(ok(await post(JSON.stringify(json), withHeaders ? headers : {}))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random encrypt payloads (bad base64, wrong length, wrong key): 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.uint8Array({ minLength: 32, maxLength: 96 }).map((b) => Buffer.from(b).toString('base64')),
        ),
        async (encrypt) => {
          const raw = JSON.stringify({ encrypt });
          const key = sb.config.lark.encryptKey;
          const status = await post(raw, {
            'X-Lark-Request-Timestamp': '1',
            'X-Lark-Request-Nonce': 'n',
            'X-Lark-Signature': computeLarkSignature('1', 'n', key, Buffer.from(raw)),
          });
          expect(status >= 400 && status < 500).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('correctly signed and encrypted plaintext that is not JSON or not an event: 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (text) => {
          const status = await postEncrypted(text);
          expect(status >= 400 && status < 500).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('authentic events with hostile fields and message text: 200 or 4xx, and the bot keeps working', async () => {
    const token = sb.config.lark.verificationToken;
    const event = fc.record({
      schema: fc.constantFrom('2.0', 2, undefined),
      header: fc.record({
        event_id: fc.oneof(fc.string({ minLength: 1 }), anyValue),
        event_type: fc.oneof(
          fc.constant('im.message.receive_v1'),
          fc.constant('card.action.trigger'),
          anyValue,
        ),
        token: fc.constant(token),
        create_time: anyValue,
      }),
      event: fc.oneof(
        anyValue,
        fc.record({
          sender: fc.oneof(
            anyValue,
            fc.record({
              sender_id: fc.oneof(
                anyValue,
                fc.record({ open_id: fc.oneof(fc.constant('ou_fuzz'), anyValue) }),
              ),
              sender_type: fc.oneof(fc.constant('user'), anyValue),
            }),
          ),
          message: fc.oneof(
            anyValue,
            fc.record({
              message_id: fc.oneof(
                fc.uuid().map((u) => `om_${u}`),
                anyValue,
              ),
              chat_id: fc.oneof(fc.constant('oc_fuzz'), anyValue),
              chat_type: fc.oneof(fc.constantFrom('group', 'p2p'), anyValue),
              message_type: fc.oneof(fc.constantFrom('text', 'post', 'image', 'file'), anyValue),
              content: fc.oneof(
                hostileText.map((text) => JSON.stringify({ text })),
                fc.jsonValue().map((v) => JSON.stringify(v)),
                anyValue,
              ),
              mentions: fc.oneof(
                anyValue,
                fc.array(fc.record({ key: anyValue, id: anyValue, name: anyValue }), { maxLength: 3 }),
              ),
              parent_id: fc.oneof(fc.constant(''), anyValue),
            }),
          ),
        }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(event, async (evt) => {
        expect(ok(await postEncrypted(JSON.stringify(evt)))).toBe(true);
      }),
      { numRuns: 300 },
    );
    await sb.app.bot.idle();
    // Still alive and answering after all that.
    const { messageId, status } = await sb.send({ senderOpenId: 'ou_after_fuzz', text: '/help' });
    expect(status).toBe(200);
    await sb.app.bot.idle();
    expect(sb.feishu.messages.some((m) => m.parentId === messageId && m.senderType === 'app')).toBe(true);
    expect(rejections).toEqual([]);
  }, 60_000);
});
