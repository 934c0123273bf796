import { EventEmitter } from 'node:events';
import * as lark from '@larksuiteoapi/node-sdk';
import type { FakeLarkGateway } from '../../src/sandbox/fake-lark-gateway/index.js';

export interface SdkWsClient {
  client: lark.WSClient;
  /** 'ready' | 'failed' (onError, with the Error) | 'reconnecting' | 'reconnected'. */
  lifecycle: EventEmitter;
  /** Everything the SDK logged, level debug and up. */
  logs: { level: string; text: string }[];
  /** The onError argument if start() failed instead of reaching onReady. */
  startError?: Error;
  close(): void;
}

export interface SdkWsClientOptions {
  appId: string;
  appSecret: string;
  /** Dispatcher handles, e.g. `{ 'im.message.receive_v1': fn }`; a handler's return value is the ack's data. */
  handles?: Record<string, (data: never) => unknown>;
  /** Seconds: WSClient's `wsConfig.pingTimeout` (unset = no liveness watchdog). */
  pingTimeout?: number;
}

/**
 * The SDK's own WSClient + EventDispatcher pointed at a fake gateway, nothing of the bot.
 * Resolves once onReady or onError fired. Call close() when done.
 */
export async function startSdkWsClient(gw: FakeLarkGateway, opts: SdkWsClientOptions): Promise<SdkWsClient> {
  const lifecycle = new EventEmitter();
  const logs: SdkWsClient['logs'] = [];
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
  dispatcher.register((opts.handles ?? {}) as never);
  const client = new lark.WSClient({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: gw.domain,
    logger,
    loggerLevel: lark.LoggerLevel.debug,
    onReady: () => lifecycle.emit('ready'),
    onError: (err) => lifecycle.emit('failed', err),
    onReconnecting: () => lifecycle.emit('reconnecting'),
    onReconnected: () => lifecycle.emit('reconnected'),
    ...(opts.pingTimeout === undefined ? {} : { wsConfig: { pingTimeout: opts.pingTimeout } }),
  });
  const settled = new Promise<Error | undefined>((resolve) => {
    lifecycle.once('ready', () => resolve(undefined));
    lifecycle.once('failed', (err: Error) => resolve(err));
  });
  await client.start({ eventDispatcher: dispatcher });
  const startError = await settled;
  return {
    client,
    lifecycle,
    logs,
    ...(startError ? { startError } : {}),
    close: () => client.close({ force: true }),
  };
}
