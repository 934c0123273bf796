import { afterEach, describe, expect, it } from 'vitest';
import { pingTimeoutFor } from '../../src/lark/ws-connection.js';
import { createWsReceiver, type WsReceiver, type WsReceiverOptions } from '../../src/lark/ws-receiver.js';
import { healthOf, retryDelay } from '../../src/lark/ws-status.js';
import {
  type FakeLarkGateway,
  type LarkClientConfig,
  startFakeLarkGateway,
} from '../../src/sandbox/fake-lark-gateway/index.js';
import { buildMessageEvent } from '../../src/sandbox/lark-event-builder.js';
import { type CapturedLogs, captureLogs, LEVEL } from '../helpers/capture-logger.js';
import { type StatusWatch, watchStatus } from '../helpers/ws-status-watch.js';

const APP_ID = 'cli_a1b2c3d4e5f6a7b8';
const APP_SECRET = 'gateway-app-secret';
/** Seconds. No pings to speak of (the default 120 s), reconnects at once, then every 50 ms, forever. */
const QUICK: Partial<LarkClientConfig> = { ReconnectCount: -1, ReconnectInterval: 0.05, ReconnectNonce: 0 };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function gateway(clientConfig: Partial<LarkClientConfig> = QUICK): Promise<FakeLarkGateway> {
  const gw = await startFakeLarkGateway({ appId: APP_ID, appSecret: APP_SECRET, clientConfig });
  cleanups.push(() => gw.close());
  return gw;
}

interface Started {
  ws: WsReceiver;
  watch: StatusWatch;
  logs: CapturedLogs;
}

async function receiver(gw: FakeLarkGateway, opts: Partial<WsReceiverOptions> = {}): Promise<Started> {
  const watch = watchStatus();
  const logs = captureLogs('info');
  const ws = createWsReceiver({
    appId: APP_ID,
    appSecret: APP_SECRET,
    domain: gw.domain,
    onEvent: async (e) => e.ack(),
    logger: logs.logger,
    retryBaseMs: 40,
    retryMaxMs: 1000,
    retryJitter: 0,
    onStatus: watch.onStatus,
    ...opts,
  });
  cleanups.push(() => ws.stop());
  await ws.start();
  return { ws, watch, logs };
}

/** Our own state lines ("lark ws: failed" …), not the SDK's. */
const stateLines = (logs: CapturedLogs) => logs.lines.filter((l) => /^lark ws: [a-z]+$/.test(l.msg));

const message = () =>
  buildMessageEvent({
    appId: APP_ID,
    token: 'vt',
    chatId: 'oc_chat',
    chatType: 'p2p',
    senderOpenId: 'ou_alice',
    msgType: 'text',
    content: { text: '/help' },
  });

describe('retryDelay, pingTimeoutFor, healthOf', () => {
  it('doubles from the base up to the cap, minus up to the jitter share', () => {
    const o = { baseMs: 100, maxMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, o))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(retryDelay(3, { ...o, jitter: 0.5, random: () => 1 })).toBe(200);
    expect(retryDelay(3, { ...o, jitter: 0.5, random: () => 0 })).toBe(400);
  });

  it('picks a pong timeout shorter than the ping interval (else each ping re-arms the watchdog)', () => {
    expect(pingTimeoutFor(120)).toBe(30);
    expect(pingTimeoutFor(1)).toBe(0.25);
    for (const p of [0.2, 1, 10, 60, 120, 600]) expect(pingTimeoutFor(p)).toBeLessThan(p);
  });

  it('says why it is not healthy', () => {
    const base = { since: 0, failures: 0, connected: false };
    expect(healthOf({ ...base, state: 'connected', connected: true })).toEqual({ ok: true });
    expect(healthOf({ ...base, state: 'connecting', lastError: '[ws] ws connect failed' })).toEqual({
      ok: false,
      reason: "connecting to Feishu's long-connection gateway (last error: [ws] ws connect failed)",
    });
    expect(
      healthOf({ ...base, state: 'failed', reason: 'auth failed', failures: 2, retryAt: 10_000 }, 0),
    ).toEqual({ ok: false, reason: 'Feishu long connection failed: auth failed; retry 2 in 10 s' });
    expect(healthOf({ ...base, state: 'failed', reason: 'auth failed', failures: 2 })).toEqual({
      ok: false,
      reason: 'Feishu long connection failed: auth failed; retry 2 under way',
    });
    expect(healthOf({ ...base, state: 'failed', reason: 'bad app id' })).toEqual({
      ok: false,
      reason: 'Feishu long connection failed: bad app id',
    });
  });
});

describe('the long connection over the SDK WSClient and the fake gateway', () => {
  it('connecting → connected (healthy), stopped on stop()', async () => {
    const gw = await gateway();
    const { ws, watch, logs } = await receiver(gw);
    expect(ws.health()).toMatchObject({ ok: false, reason: expect.stringMatching(/^connecting/) });
    await watch.until((s) => s.connected, 'connected');
    expect(ws.health()).toEqual({ ok: true });
    expect((await gw.pushEvent(message())).code).toBe(200);
    ws.stop();
    expect(watch.states()).toEqual(['connecting', 'connected', 'stopped']);
    expect(stateLines(logs).map((l) => l.msg)).toEqual([
      'lark ws: connecting',
      'lark ws: connected',
      'lark ws: stopped',
    ]);
    await gw.waitUntil(() => gw.openConnections().length === 0, { what: 'the socket closed' });
  });

  it('a wrong app secret: failed with the reason, logged once, retried with a new WSClient after a growing backoff', async () => {
    const gw = await gateway();
    const { ws, watch, logs } = await receiver(gw, { appSecret: 'wrong-secret' });
    // the SDK gives up after ONE endpoint call (code 514 is not retryable); each retry is a new client
    await gw.waitUntil(() => gw.endpointCalls.length >= 4, { what: '4 endpoint calls' });
    expect(gw.endpointCalls.every((c) => c.outcome === 'auth-failed')).toBe(true);
    const at = gw.endpointCalls.map((c) => c.at);
    // 40, 80, 160 ms (no jitter); a timer never fires early (±1 ms of clock rounding)
    for (let i = 1; i < 4; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(40 * 2 ** (i - 1) - 2);
    await watch.until((s) => s.failures >= 3, '3 failures');
    const s = ws.status();
    expect(s).toMatchObject({
      state: 'failed',
      connected: false,
      reason: 'pullConnectConfig failed: code=514, msg=auth failed',
    });
    expect(ws.health()).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^Feishu long connection failed: pullConnectConfig failed: code=514, msg=auth failed; retry \d+ (in \d+ s|under way.*)$/,
      ),
    });
    const failedLines = stateLines(logs).filter((l) => l.msg === 'lark ws: failed');
    expect(failedLines).toEqual([
      expect.objectContaining({
        level: LEVEL.error,
        reason: 'pullConnectConfig failed: code=514, msg=auth failed',
      }),
    ]);
    expect(gw.connections).toHaveLength(0);
  });

  it('reconnects exhausted: failed, then a new WSClient once the gateway takes connections again', async () => {
    const gw = await gateway({ ...QUICK, ReconnectCount: 2 });
    const { watch, logs } = await receiver(gw);
    await watch.until((s) => s.connected, 'connected');
    gw.refuseConnections({ at: 'handshake' });
    gw.dropConnections();
    const failed = await watch.until((s) => s.state === 'failed', 'failed');
    expect(failed.reason).toBe('WebSocket reconnect exhausted after 2 attempts');
    // the next client keeps being refused (the same failure: no new state line)…
    const calls = gw.endpointCalls.length;
    await gw.waitUntil(() => gw.endpointCalls.length >= calls + 2, { what: 'a retry' });
    await watch.until((s) => s.failures >= 2, 'the retry to fail too');
    gw.acceptConnections();
    // …until the gateway accepts again
    await watch.until((s) => s.connected, 'connected again', { since: watch.seen.indexOf(failed) });
    expect(watch.states()).toEqual(['connecting', 'connected', 'reconnecting', 'failed', 'connected']);
    expect(stateLines(logs).map((l) => [l.msg, l.reason])).toEqual([
      ['lark ws: connecting', undefined],
      ['lark ws: connected', undefined],
      ['lark ws: reconnecting', 'the connection was lost'],
      ['lark ws: failed', 'WebSocket reconnect exhausted after 2 attempts'],
      ['lark ws: connected', undefined],
    ]);
    expect(gw.openConnections()).toHaveLength(1);
    expect((await gw.pushEvent(message())).code).toBe(200);
  });

  it('not healthy before the connection is up, with the SDK error as the reason; healthy once it is', async () => {
    const gw = await gateway();
    // The endpoint answers (with the short ClientConfig) but the upgrade is refused: the SDK retries on
    // its own. (A refused endpoint call is retried too, but on the SDK's defaults, 0-30 s and then every
    // 120 s, since it has no ClientConfig yet.)
    gw.refuseConnections({ at: 'handshake' });
    const { ws, watch } = await receiver(gw);
    await gw.waitUntil(() => gw.refusedHandshakes >= 2, { what: 'two refused handshakes' });
    expect(ws.status().state).toBe('connecting');
    expect(ws.health()).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^connecting to Feishu's long-connection gateway \(last error: \[ws\] .+\)$/,
      ),
    });
    gw.acceptConnections();
    await watch.until((s) => s.connected, 'connected');
    expect(ws.health()).toEqual({ ok: true });
    expect(ws.status().lastError).toBeUndefined();
  });

  it('a silently dead connection (no pongs) is dropped by the pong timeout and re-established', async () => {
    // ping every 200 ms, give up on a pong after 100 ms (pingTimeoutFor(0.2) would be 50 ms: tight on a busy box)
    const gw = await gateway({ ...QUICK, PingInterval: 0.2 });
    const { ws, watch } = await receiver(gw, { pingTimeoutSeconds: 0.1 });
    await watch.until((s) => s.connected, 'connected');
    const first = gw.connections[0]!;
    await gw.waitForFrame((f) => f.from === 'gateway' && f.type === 'pong');
    gw.stopPongs();
    const lost = await watch.until((s) => s.state === 'reconnecting', 'reconnecting');
    expect(first.isOpen).toBe(false);
    gw.resumePongs();
    const resumedAt = gw.frames.length;
    await watch.until((s) => s.connected, 'reconnected', { since: watch.seen.indexOf(lost) });
    // pongs flow again (on whichever connection is up by then: one that pinged while the gateway was
    // still mute is dropped too), and that connection carries events
    const pong = await gw.waitForFrame((f) => f.from === 'gateway' && f.type === 'pong', {
      since: resumedAt,
    });
    await gw.waitUntil(
      () => gw.openConnections().length === 1 && gw.openConnections()[0]!.id === pong.connectionId,
      { what: 'only the live connection open' },
    );
    expect(pong.connectionId).toBeGreaterThan(first.id);
    expect(ws.status()).toMatchObject({ state: 'connected', connected: true });
    expect((await gw.pushEvent(message())).code).toBe(200);
  });

  it('warns when the gateway pings less often than the pong timeout could ever fire', async () => {
    const gw = await gateway({ ...QUICK, PingInterval: 5 });
    const { watch, logs } = await receiver(gw, { pingTimeoutSeconds: 10 });
    await watch.until((s) => s.connected, 'connected');
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: LEVEL.warn, pingIntervalS: 5, pingTimeoutS: 10 }),
    );
  });

  it('an app id the SDK would refuse: failed at once, no endpoint call, no retry', async () => {
    const gw = await gateway();
    const { ws } = await receiver(gw, { appId: 'cli_sandbox0123' });
    expect(ws.status()).toMatchObject({ state: 'failed', reason: expect.stringMatching(/LARK_APP_ID/) });
    expect(ws.status().retryAt).toBeUndefined();
    expect(gw.endpointCalls).toHaveLength(0);
  });
});
