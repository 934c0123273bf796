import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AckTimeoutError,
  ConnectionClosedError,
  type FakeLarkGateway,
  GatewayNotConnectedError,
  type LarkClientConfig,
  startFakeLarkGateway,
} from '../../src/sandbox/fake-lark-gateway/index.js';
import { buildCardActionEvent, buildMessageEvent } from '../../src/sandbox/lark-event-builder.js';
import { type SdkWsClient, type SdkWsClientOptions, startSdkWsClient } from '../helpers/sdk-ws-client.js';

const APP_ID = 'cli_a1b2c3d4e5f6a7b8';
const APP_SECRET = 'fake-app-secret';
/** Seconds. Ping every 50 ms, reconnect at once, then every 50 ms, forever. */
const FAST: LarkClientConfig = {
  PingInterval: 0.05,
  ReconnectCount: -1,
  ReconnectInterval: 0.05,
  ReconnectNonce: 0,
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function gateway(clientConfig: Partial<LarkClientConfig> = FAST): Promise<FakeLarkGateway> {
  const gw = await startFakeLarkGateway({ appId: APP_ID, appSecret: APP_SECRET, clientConfig });
  cleanups.push(() => gw.close());
  return gw;
}

async function sdkClient(
  gw: FakeLarkGateway,
  handles: SdkWsClientOptions['handles'],
  opts: Partial<SdkWsClientOptions> = {},
): Promise<SdkWsClient> {
  const sdk = await startSdkWsClient(gw, { appId: APP_ID, appSecret: APP_SECRET, handles, ...opts });
  cleanups.push(() => sdk.close());
  return sdk;
}

const message = (text: string) =>
  buildMessageEvent({
    appId: APP_ID,
    token: 'vtoken',
    chatId: 'oc_chat',
    chatType: 'p2p',
    senderOpenId: 'ou_alice',
    msgType: 'text',
    content: { text },
  });

describe('fake Lark long-connection gateway with the SDK 1.74 WSClient', () => {
  it('answers the endpoint call with a ws URL and pongs the ping sent with its service_id', async () => {
    const gw = await gateway();
    await sdkClient(gw, {});
    expect(gw.endpointCalls).toHaveLength(1);
    expect(gw.endpointCalls[0]).toMatchObject({
      body: { AppID: APP_ID, AppSecret: APP_SECRET },
      locale: 'zh',
      outcome: 'ok',
    });
    const ping = await gw.waitForFrame((f) => f.from === 'client' && f.type === 'ping');
    const conn = gw.connections[0]!;
    expect(ping.frame).toMatchObject({ method: 0, service: conn.serviceId, SeqID: 0, LogID: 0 });
    const pong = await gw.waitForFrame((f) => f.from === 'gateway' && f.type === 'pong');
    expect(JSON.parse(new TextDecoder().decode(pong.frame.payload))).toEqual(FAST);
  });

  it('delivers im.message.receive_v1 to the registered handler and gets the ack within a few ms', async () => {
    const gw = await gateway();
    const received: { message: { message_id: string; content: string }; event_type: string }[] = [];
    await sdkClient(gw, { 'im.message.receive_v1': (data: never) => void received.push(data) });
    const event = message('hello');
    const ack = await gw.pushEvent(event, { messageId: 'msg-1' });
    expect(ack.code).toBe(200);
    expect(ack.data).toBeUndefined();
    expect(ack.headers).toMatchObject({ type: 'event', message_id: 'msg-1', sum: '1', seq: '0' });
    expect(Number(ack.bizRt)).toBeLessThanOrEqual(0);
    expect(ack.elapsedMs).toBeLessThan(100);
    expect(received).toHaveLength(1);
    expect(received[0]!.event_type).toBe('im.message.receive_v1');
    expect(received[0]!.message.message_id).toBe((event.event.message as { message_id: string }).message_id);
  });

  it('joins a payload split over several frames, even inside a UTF-8 character', async () => {
    const gw = await gateway();
    const texts: string[] = [];
    await sdkClient(gw, {
      'im.message.receive_v1': (data: never) => {
        texts.push(JSON.parse((data as { message: { content: string } }).message.content).text);
      },
    });
    const ack = await gw.pushEvent(message('一只猫在月光下跳舞'), { parts: 7 });
    expect(ack.code).toBe(200);
    expect(ack.headers).toMatchObject({ sum: '7', seq: '6' });
    expect(texts).toEqual(['一只猫在月光下跳舞']);
  });

  it('routes card.action.trigger to the dispatcher handler and returns its toast as the ack body', async () => {
    const gw = await gateway();
    await sdkClient(gw, {
      'card.action.trigger': (data: never) => {
        const { action, operator } = data as {
          action: { value: { pick: string } };
          operator: { open_id: string };
        };
        return { toast: { type: 'success', content: `${operator.open_id} picked ${action.value.pick}` } };
      },
    });
    const card = buildCardActionEvent({
      appId: APP_ID,
      token: '',
      operatorOpenId: 'ou_alice',
      value: { pick: 'v2' },
      messageId: 'om_card',
      chatId: 'oc_chat',
    });
    const ack = await gw.pushEvent(card);
    expect(ack.code).toBe(200);
    expect(ack.data).toEqual({ toast: { type: 'success', content: 'ou_alice picked v2' } });
  });

  it('acks 500 when the handler throws, and never acks a type=card frame (1.74 drops it)', async () => {
    const gw = await gateway();
    const { logs } = await sdkClient(gw, {
      'im.message.receive_v1': () => {
        throw new Error('handler broke');
      },
    });
    expect((await gw.pushEvent(message('x'))).code).toBe(500);
    expect(logs.some((l) => l.level === 'error' && l.text.includes('handler broke'))).toBe(true);
    await expect(gw.pushEvent(message('y'), { type: 'card', timeoutMs: 200 })).rejects.toBeInstanceOf(
      AckTimeoutError,
    );
  });

  it('rejects pushEvent with typed errors: nobody connected, or the connection closed before the ack', async () => {
    const gw = await gateway();
    await expect(gw.pushEvent(message('nobody'))).rejects.toBeInstanceOf(GatewayNotConnectedError);
    await sdkClient(gw, {});
    const pending = gw.pushEvent(message('dropped'), { type: 'card' });
    gw.dropConnections();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('wrong app secret: the endpoint answers 514 and the SDK reports it through onError and gives up', async () => {
    const gw = await gateway();
    const sdk = await sdkClient(gw, {}, { appSecret: 'wrong-secret' });
    expect(sdk.startError?.message).toBe('pullConnectConfig failed: code=514, msg=auth failed');
    expect(sdk.logs).toContainEqual({ level: 'error', text: '[ws] code: 514, auth failed' });
    expect(sdk.client.getConnectionStatus().state).toBe('failed');
    expect(gw.endpointCalls.map((c) => c.outcome)).toEqual(['auth-failed']);
    expect(gw.connections).toHaveLength(0);
  });
});

describe('connection loss and reconnect, as the SDK 1.74 WSClient handles it', () => {
  const pingsSince = (gw: FakeLarkGateway, since: number) =>
    gw.frames.slice(since).filter((f) => f.from === 'client' && f.type === 'ping').length;

  it('a dropped connection: onReconnecting, a new endpoint call, onReconnected, events flow again', async () => {
    const gw = await gateway();
    const texts: string[] = [];
    const sdk = await sdkClient(gw, {
      'im.message.receive_v1': (data: never) => {
        texts.push(JSON.parse((data as { message: { content: string } }).message.content).text);
      },
    });
    const reconnecting = once(sdk.lifecycle, 'reconnecting');
    const reconnected = once(sdk.lifecycle, 'reconnected');
    expect(gw.dropConnections()).toBe(1);
    await reconnecting;
    await reconnected;
    expect(gw.endpointCalls).toHaveLength(2);
    const second = await gw.waitForConnections(2);
    expect(gw.connections[0]!.isOpen).toBe(false);
    expect((await gw.pushEvent(message('after'))).code).toBe(200);
    expect(second.isOpen).toBe(true);
    expect(texts).toEqual(['after']);
  });

  it('refused handshakes are retried every ReconnectInterval until the gateway accepts again', async () => {
    const gw = await gateway();
    const sdk = await sdkClient(gw, {});
    const reconnected = once(sdk.lifecycle, 'reconnected');
    gw.refuseConnections();
    gw.dropConnections();
    await gw.waitUntil(() => gw.refusedHandshakes >= 2, { what: 'two refused handshakes' });
    expect(sdk.client.getConnectionStatus().state).toBe('reconnecting');
    gw.acceptConnections();
    await reconnected;
    expect(gw.openConnections()).toHaveLength(1);
  });

  it('gives up with onError once ReconnectCount attempts failed (endpoint busy: 1000040343)', async () => {
    const gw = await gateway({ ...FAST, ReconnectCount: 2 });
    const sdk = await sdkClient(gw, {});
    const failed = once(sdk.lifecycle, 'failed');
    gw.refuseConnections({ at: 'endpoint' });
    gw.dropConnections();
    const [err] = (await failed) as [Error];
    expect(err.message).toBe('WebSocket reconnect exhausted after 2 attempts');
    expect(gw.endpointCalls.map((c) => c.outcome)).toEqual(['ok', 'refused', 'refused']);
    expect(sdk.client.getConnectionStatus().state).toBe('failed');
  });

  it('without wsConfig.pingTimeout, unanswered pings go unnoticed: the dead connection stays "connected"', async () => {
    const gw = await gateway();
    const sdk = await sdkClient(gw, {});
    const events: string[] = [];
    sdk.lifecycle.on('reconnecting', () => events.push('reconnecting'));
    gw.stopPongs();
    const since = gw.frames.length;
    await gw.waitUntil(() => pingsSince(gw, since) >= 6, { what: 'six unanswered pings' });
    expect(sdk.client.getConnectionStatus().state).toBe('connected');
    expect(events).toEqual([]);
    expect(gw.openConnections()).toHaveLength(1);
  });

  it('with pingTimeout < PingInterval, a missing pong terminates the socket and the client reconnects', async () => {
    const gw = await gateway({ ...FAST, PingInterval: 0.3 });
    const sdk = await sdkClient(gw, {}, { pingTimeout: 0.1 });
    const reconnecting = once(sdk.lifecycle, 'reconnecting');
    const reconnected = once(sdk.lifecycle, 'reconnected');
    const since = gw.frames.length;
    gw.stopPongs();
    await reconnecting;
    gw.resumePongs();
    await reconnected;
    expect(pingsSince(gw, since)).toBeGreaterThanOrEqual(1);
    expect(gw.connections[0]!.isOpen).toBe(false);
    expect(sdk.logs.some((l) => l.text.includes('no pong/inbound within 0.1s'))).toBe(true);
  });

  it('with pingTimeout > PingInterval, each ping re-arms the watchdog, so it never fires', async () => {
    const gw = await gateway();
    const sdk = await sdkClient(gw, {}, { pingTimeout: 0.2 });
    const events: string[] = [];
    sdk.lifecycle.on('reconnecting', () => events.push('reconnecting'));
    gw.stopPongs();
    const since = gw.frames.length;
    // 10 pings 50 ms apart: well past 0.2 s without any inbound frame
    await gw.waitUntil(() => pingsSince(gw, since) >= 10, { what: 'ten unanswered pings' });
    expect(events).toEqual([]);
    expect(sdk.client.getConnectionStatus().state).toBe('connected');
  });
});
