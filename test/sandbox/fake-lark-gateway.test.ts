import { EventEmitter, once } from 'node:events';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AckTimeoutError,
  buildCardActionEvent,
  type FakeLarkGateway,
  type LarkClientConfig,
  startFakeLarkGateway,
} from '../../src/sandbox/fake-lark-gateway/index.js';
import { buildMessageEvent } from '../../src/sandbox/lark-event-builder.js';

const APP_ID = 'cli_a1b2c3d4e5f6a7b8';
const APP_SECRET = 'fake-app-secret';
/** Seconds. Ping every 50 ms, reconnect at once, then every 50 ms, forever. */
const FAST: LarkClientConfig = {
  PingInterval: 0.05,
  ReconnectCount: -1,
  ReconnectInterval: 0.05,
  ReconnectNonce: 0,
};

interface SdkClient {
  client: lark.WSClient;
  /** 'ready' | 'failed' (onError, with the Error) | 'reconnecting' | 'reconnected'. */
  lifecycle: EventEmitter;
  logs: { level: string; text: string }[];
  /** The onError argument if start() failed instead of reaching onReady. */
  startError?: Error;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function gateway(clientConfig: Partial<LarkClientConfig> = FAST): Promise<FakeLarkGateway> {
  const gw = await startFakeLarkGateway({ appId: APP_ID, appSecret: APP_SECRET, clientConfig });
  cleanups.push(() => gw.close());
  return gw;
}

/** The SDK's own WSClient + EventDispatcher, nothing of the bot. Resolves once onReady/onError fired. */
async function sdkClient(
  gw: FakeLarkGateway,
  handles: Record<string, (data: never) => unknown>,
  opts: { appSecret?: string; pingTimeout?: number } = {},
): Promise<SdkClient> {
  const lifecycle = new EventEmitter();
  const logs: SdkClient['logs'] = [];
  const log =
    (level: string) =>
    (...msg: unknown[]): void => {
      // LoggerProxy hands the logger one array of the original arguments
      const text = msg.flat().map((m) => (m instanceof Error ? m.message : String(m)));
      logs.push({ level, text: text.join(' ') });
    };
  const logger = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    trace: log('trace'),
  };
  const dispatcher = new lark.EventDispatcher({ logger, loggerLevel: lark.LoggerLevel.warn });
  dispatcher.register(handles as never);
  const client = new lark.WSClient({
    appId: APP_ID,
    appSecret: opts.appSecret ?? APP_SECRET,
    domain: gw.domain,
    logger,
    loggerLevel: lark.LoggerLevel.debug,
    onReady: () => lifecycle.emit('ready'),
    onError: (err) => lifecycle.emit('failed', err),
    onReconnecting: () => lifecycle.emit('reconnecting'),
    onReconnected: () => lifecycle.emit('reconnected'),
    ...(opts.pingTimeout === undefined ? {} : { wsConfig: { pingTimeout: opts.pingTimeout } }),
  });
  cleanups.push(() => client.close({ force: true }));
  const settled = new Promise<Error | undefined>((resolve) => {
    lifecycle.once('ready', () => resolve(undefined));
    lifecycle.once('failed', (err: Error) => resolve(err));
  });
  await client.start({ eventDispatcher: dispatcher });
  const startError = await settled;
  return { client, lifecycle, logs, ...(startError ? { startError } : {}) };
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
      operatorOpenId: 'ou_alice',
      value: { pick: 'v2' },
      openMessageId: 'om_card',
      openChatId: 'oc_chat',
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
