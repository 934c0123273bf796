import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, type AppOptions, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type FakeFeishu, startFakeFeishu } from '../../src/sandbox/fake-feishu.js';
import {
  type EventAck,
  type FakeLarkGateway,
  type LarkClientConfig,
  startFakeLarkGateway,
} from '../../src/sandbox/fake-lark-gateway/index.js';
import {
  type JimengSimulator,
  type JimengSimulatorOptions,
  startJimengSimulator,
} from '../../src/sandbox/jimeng-simulator.js';
import {
  buildCardActionEvent,
  buildMessageEvent,
  type CardActionInput,
} from '../../src/sandbox/lark-event-builder.js';
import { type CapturedLogs, captureLogs } from './capture-logger.js';
import { type OneOrigin, startOneOrigin } from './one-origin.js';

const hex = (n: number) => randomBytes(n).toString('hex');

export const WS_CHAT = 'oc_wschat000000000000000000000001';

export interface WsAppOptions {
  /** The secret the gateway expects; default the app's own (set another for "wrong app secret"). */
  gatewaySecret?: string;
  clientConfig?: Partial<LarkClientConfig>;
  /** Gateway behaviour to set before the app starts (e.g. refuse connections). */
  beforeStart?: (gw: FakeLarkGateway) => void;
  wsReceiver?: AppOptions['wsReceiver'];
  env?: Record<string, string>;
  simulator?: Partial<JimengSimulatorOptions>;
}

export interface WsApp {
  app: App;
  config: Config;
  feishu: FakeFeishu;
  gateway: FakeLarkGateway;
  jimeng: JimengSimulator;
  logs: CapturedLogs;
  appId: string;
  appSecret: string;
  /** A user posts a text: stored in the fake Feishu, then pushed over the long connection. */
  send(m: {
    senderOpenId: string;
    text: string;
    chatId?: string;
  }): Promise<{ messageId: string; ack: EventAck }>;
  /** A click on a card, pushed over the long connection as `card.action.trigger`. */
  click(input: Omit<CardActionInput, 'appId' | 'token'>): Promise<EventAck>;
  get(path: string): Promise<{ status: number; text: string; json?: unknown }>;
  close(): Promise<void>;
}

/**
 * The real app (createApp, transport 'websocket') with the SDK's real WSClient connected to the fake
 * long-connection gateway, replying through the fake Feishu Open API, generating with the Jimeng
 * simulator. One LARK_DOMAIN serves both fakes (see one-origin.ts).
 */
export async function startWsApp(o: WsAppOptions = {}): Promise<WsApp> {
  // the SDK refuses any other app id shape (WSClient.start, lib/index.js:102788-102794)
  const appId = `cli_${hex(8)}`;
  const appSecret = hex(16);
  const accessKeyId = `AKWS${hex(4)}`;
  const secretAccessKey = hex(20);
  const logs = captureLogs('info');
  const feishu = await startFakeFeishu({ appId, appSecret, botName: '即梦视频助手' });
  const gateway = await startFakeLarkGateway({
    appId,
    appSecret: o.gatewaySecret ?? appSecret,
    ...(o.clientConfig ? { clientConfig: o.clientConfig } : {}),
  });
  const jimeng = await startJimengSimulator({
    accessKeyId,
    secretAccessKey,
    generationMs: 300,
    ...o.simulator,
  });
  const origin: OneOrigin = await startOneOrigin((path) =>
    path.startsWith('/callback/ws/') ? gateway.domain : feishu.url,
  );
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'jimeng-bot-ws-')),
    LARK_APP_ID: appId,
    LARK_APP_SECRET: appSecret,
    LARK_TRANSPORT: 'websocket',
    LARK_DOMAIN: origin.url,
    VOLC_ACCESSKEY: accessKeyId,
    VOLC_SECRETKEY: secretAccessKey,
    JIMENG_ENDPOINT: jimeng.url,
    JIMENG_QPS: '20',
    QUOTA_USER_DAILY: '20',
    ...o.env,
  });
  o.beforeStart?.(gateway);
  const app = await createApp({
    config,
    logger: logs.logger,
    minPollMs: 50,
    jimengRetryBaseMs: 10,
    busyRetryMs: 100,
    deliveryRetryMs: 50,
    larkRetryBaseMs: 20,
    ...(o.wsReceiver ? { wsReceiver: o.wsReceiver } : {}),
  });
  await app.listen(0, '127.0.0.1');

  return {
    app,
    config,
    feishu,
    gateway,
    jimeng,
    logs,
    appId,
    appSecret,
    async send(m) {
      const chatId = m.chatId ?? WS_CHAT;
      const content = { text: m.text };
      const messageId = feishu.addUserMessage({
        chatId,
        chatType: 'group',
        senderOpenId: m.senderOpenId,
        msgType: 'text',
        content,
      });
      const event = buildMessageEvent({
        appId,
        token: '',
        messageId,
        chatId,
        chatType: 'group',
        senderOpenId: m.senderOpenId,
        msgType: 'text',
        content,
      });
      return { messageId, ack: await gateway.pushEvent(event) };
    },
    click(input) {
      return gateway.pushEvent(buildCardActionEvent({ appId, token: '', ...input }));
    },
    async get(path) {
      const res = await fetch(`${app.url}${path}`);
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON (/metrics)
      }
      return json === undefined ? { status: res.status, text } : { status: res.status, text, json };
    },
    async close() {
      await app.close();
      await Promise.all([origin.close(), gateway.close(), feishu.close(), jimeng.close()]);
    },
  };
}
