/**
 * The bot's real app with `LARK_TRANSPORT=websocket`: the SDK's own WSClient connects to the fake
 * long-connection gateway, events and card callbacks come over the socket, replies go to the fake Feishu.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { textsFor } from '../../src/bot/texts/index.js';
import type { FakeLarkGateway, LarkClientConfig } from '../../src/sandbox/fake-lark-gateway/index.js';
import { LEVEL } from '../helpers/capture-logger.js';
import { ALICE, BOB, jobsOf, quiesce, waitFor } from '../helpers/sandbox.js';
import { startWsApp, WS_CHAT, type WsApp, type WsAppOptions } from '../helpers/ws-app.js';

/** Seconds: no pings to speak of (120 s), reconnect at once, then every 50 ms, forever. */
const QUICK: Partial<LarkClientConfig> = { ReconnectCount: -1, ReconnectInterval: 0.05, ReconnectNonce: 0 };

let bot: WsApp | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

async function start(o: WsAppOptions = {}): Promise<WsApp> {
  bot = await startWsApp({
    clientConfig: QUICK,
    wsReceiver: { retryBaseMs: 30, retryMaxMs: 500, retryJitter: 0 },
    ...o,
  });
  return bot;
}

const replies = (b: WsApp, messageId: string) =>
  b.feishu.botMessages().filter((m) => m.parentId === messageId || m.rootId === messageId);

/** The `lark_ws_connected` sample in /metrics. */
async function connectedGauge(b: WsApp): Promise<string | undefined> {
  const { text } = await b.get('/metrics');
  return /^lark_ws_connected (\d+)$/m.exec(text)?.[1];
}

/** Polls `check` (an observable point, e.g. the app's own /healthz answer) until it holds. */
async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls /healthz until it answers `status`; returns that answer. */
async function healthzUntil(b: WsApp, status: number, what: string) {
  let last: Awaited<ReturnType<WsApp['get']>> | undefined;
  await until(async () => {
    last = await b.get('/healthz');
    return last.status === status;
  }, what);
  return last!;
}

describe('the app over the long connection', () => {
  it('/healthz is 503 until the connection is up, then 200; a message is acked in ms and answered', async () => {
    const b = await start({ beforeStart: (gw) => gw.refuseConnections({ at: 'handshake' }) });
    await b.gateway.waitUntil(() => b.gateway.refusedHandshakes >= 1, { what: 'a refused handshake' });
    const before = await b.get('/healthz');
    expect(before.status).toBe(503);
    expect(before.json).toEqual({
      ok: false,
      reason: expect.stringMatching(/^connecting to Feishu's long-connection gateway/),
    });
    expect(await connectedGauge(b)).toBe('0');

    b.gateway.acceptConnections();
    const after = await healthzUntil(b, 200, '/healthz 200');
    expect(after.json).toEqual({ ok: true });
    expect(await connectedGauge(b)).toBe('1');

    const { messageId, ack } = await b.send({ senderOpenId: ALICE, text: '/help' });
    expect(ack.code).toBe(200);
    expect(ack.data).toBeUndefined();
    // the handler acks once the message is stored, before any reply is sent
    expect(ack.elapsedMs).toBeLessThan(500);
    const [reply] = await waitFor(
      () => {
        const r = replies(b, messageId);
        return r.length > 0 && r;
      },
      5000,
      'the /help reply',
    );
    expect(reply).toMatchObject({ chatId: WS_CHAT, senderType: 'app' });
    expect(reply!.content).toContain('/video');
    const states = b.logs.lines
      .filter((l) => /^lark ws: /.test(l.msg) && l.msg !== 'lark ws')
      .map((l) => l.msg);
    expect(states.slice(0, 2)).toEqual(['lark ws: connecting', 'lark ws: connected']);
  });

  it('a card click over the socket gets its toast back within 3 s (cancel a queued job)', async () => {
    const texts = textsFor('zh');
    // one task at a time, each slow: the second /video waits in the queue
    const b = await start({ env: { JIMENG_MAX_CONCURRENT: '1' }, simulator: { generationMs: 60_000 } });
    await healthzUntil(b, 200, 'connected');
    await b.send({ senderOpenId: ALICE, text: '/video 海边日落' });
    const second = await b.send({ senderOpenId: ALICE, text: '/video 橘猫打哈欠' });
    const job = await waitFor(
      () => jobsOf(b).find((j) => j.messageId === second.messageId && j.state === 'queued'),
      5000,
      'the queued job',
    );
    const card = await waitFor(
      () => replies(b, second.messageId).find((m) => m.msgType === 'interactive'),
      5000,
      'its card',
    );
    const ack = await b.click({
      messageId: card.messageId,
      chatId: WS_CHAT,
      operatorOpenId: ALICE,
      value: { action: 'cancel', job: job.id },
    });
    expect(ack.code).toBe(200);
    expect(ack.elapsedMs).toBeLessThan(3000);
    expect(ack.data).toMatchObject({ toast: { type: 'success', content: texts.cancelled(job.id) } });
    expect(JSON.stringify((ack.data as { card?: unknown }).card)).toContain('已取消');
    expect(jobsOf(b).find((j) => j.id === job.id)?.state).toBe('cancelled');

    // an action the bot does not know still gets a toast
    const unknown = await b.click({
      messageId: card.messageId,
      chatId: WS_CHAT,
      operatorOpenId: ALICE,
      value: { action: 'no-such-action' },
    });
    expect(unknown.code).toBe(200);
    expect(unknown.data).toMatchObject({ toast: { type: expect.any(String), content: expect.any(String) } });
    await quiesce(b);
  });

  it('再来一个 over the socket: the toast within 3 s, one job even when the callback comes twice, its video delivered', async () => {
    const texts = textsFor('zh');
    const b = await start();
    await healthzUntil(b, 200, 'connected');
    const { messageId } = await b.send({ senderOpenId: ALICE, text: '/video 橘猫打哈欠' });
    const source = await waitFor(
      () => jobsOf(b).find((j) => j.messageId === messageId && j.state === 'delivered'),
      10_000,
      'the first video',
    );
    // The card is patched to its result (with the buttons) shortly after the video is sent.
    const card = await waitFor(
      () => {
        const m = b.feishu.getStoredMessage(source.card.messageId!);
        return m?.content.includes(texts.card.button.reroll) && m;
      },
      5000,
      'the result card',
    );

    const click = {
      messageId: card.messageId,
      chatId: WS_CHAT,
      operatorOpenId: BOB,
      value: { action: 'reroll', job: source.id },
      eventId: 'ev_reroll_once_0000000000000001',
    };
    const ack = await b.click(click);
    expect(ack.code).toBe(200);
    expect(ack.elapsedMs).toBeLessThan(3000);
    expect(ack.data).toMatchObject({
      toast: { type: 'success', content: texts.actions.queued('J0002', 1) },
      card: { type: 'raw', data: expect.anything() },
    });
    // The answer card shows the pressed button as in progress.
    expect(JSON.stringify((ack.data as { card: unknown }).card)).toContain(
      texts.card.pressed(texts.card.button.reroll),
    );

    // Feishu delivers the same callback again (same event id): acked, nothing new.
    const again = await b.click(click);
    expect(again.code).toBe(200);
    expect(again.elapsedMs).toBeLessThan(3000);
    expect(again.data ?? {}).toEqual({}); // an empty answer: no toast, the card left as it is

    const video = await waitFor(
      () => b.feishu.botMessages().find((m) => m.msgType === 'media' && m.parentId === card.messageId),
      10_000,
      'the second video',
    );
    await quiesce(b);
    const derived = jobsOf(b).filter((j) => j.origin);
    expect(derived).toEqual([
      expect.objectContaining({
        id: 'J0002',
        state: 'delivered',
        userOpenId: BOB,
        origin: { action: 'reroll', fromJob: source.id },
        prompt: '橘猫打哈欠',
      }),
    ]);
    expect(b.jimeng.tasks.size).toBe(2);
    expect(video.rootId).toBe(messageId);
    expect(b.feishu.botMessages().filter((m) => m.msgType === 'media')).toHaveLength(2);
  });

  it('a wrong app secret: /healthz 503 with the reason, logged, lark_ws_connected 0, retried with backoff', async () => {
    const b = await start({ gatewaySecret: 'the-secret-feishu-expects' });
    await b.gateway.waitUntil(() => b.gateway.endpointCalls.length >= 3, { what: '3 endpoint calls' });
    expect(b.gateway.endpointCalls.every((c) => c.outcome === 'auth-failed')).toBe(true);
    const at = b.gateway.endpointCalls.map((c) => c.at);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(28); // 30 ms, then 60 ms: growing
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(58);

    const health = await b.get('/healthz');
    expect(health.status).toBe(503);
    expect(health.json).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^Feishu long connection failed: pullConnectConfig failed: code=514, msg=auth failed; retry \d+ (in \d+ s|under way.*)$/,
      ),
    });
    expect(await connectedGauge(b)).toBe('0');
    const failed = b.logs.lines.filter((l) => l.msg === 'lark ws: failed');
    expect(failed).toEqual([
      expect.objectContaining({
        level: LEVEL.error,
        component: 'ws',
        reason: 'pullConnectConfig failed: code=514, msg=auth failed',
      }),
    ]);
    expect(b.logs.lines).toContainEqual(
      expect.objectContaining({ level: LEVEL.error, sdk: '[ws] code: 514, auth failed' }),
    );
    for (const raw of b.logs.raw) expect(raw).not.toContain(b.appSecret);
  });

  it('the gateway stops answering pings: the bot drops the connection, reconnects, and answers again', async () => {
    // ping every 200 ms; no pong within 100 ms of a ping = dead
    const b = await start({
      clientConfig: { ...QUICK, PingInterval: 0.2 },
      wsReceiver: { pingTimeoutSeconds: 0.1, retryBaseMs: 30, retryJitter: 0 },
    });
    await healthzUntil(b, 200, 'connected');
    const gw: FakeLarkGateway = b.gateway;
    const first = gw.connections[0]!;
    await gw.waitForFrame((f) => f.from === 'gateway' && f.type === 'pong');
    gw.stopPongs();
    await gw.waitUntil(() => !first.isOpen && gw.connections.length >= 2, { what: 'a new connection' });
    gw.resumePongs();
    const resumedAt = gw.frames.length;
    await until(
      () => b.logs.lines.some((l) => l.msg === 'lark ws: reconnecting' && l.level === LEVEL.warn),
      'the reconnecting line',
    );
    await healthzUntil(b, 200, 'connected again');
    // the SDK logged why it dropped the connection
    expect(b.logs.lines).toContainEqual(
      expect.objectContaining({ sdk: expect.stringMatching(/no pong\/inbound within 0.1s of last ping/) }),
    );
    // a message over the connection that is up now (it got a pong since) is answered
    const pong = await gw.waitForFrame((f) => f.from === 'gateway' && f.type === 'pong', {
      since: resumedAt,
    });
    await gw.waitUntil(
      () => gw.openConnections().length === 1 && gw.openConnections()[0]!.id === pong.connectionId,
      { what: 'only the live connection open' },
    );
    const { messageId, ack } = await b.send({ senderOpenId: ALICE, text: '/help' });
    expect(ack.code).toBe(200);
    await waitFor(() => replies(b, messageId).length > 0, 5000, 'the reply');
  });
});
