import * as lark from '@larksuiteoapi/node-sdk';
import { type Logger, silentLogger } from '../log.js';
import { decodeDelivery } from './decode-delivery.js';
import { dispatch } from './dispatch.js';
import type { ChatEventHandler } from './events.js';
import { sdkLogger } from './sdk-logger.js';
import type { LarkEvent } from './types.js';
import { WsConnection, type WsConnectionOptions } from './ws-connection.js';
import type { Health, WsStatus } from './ws-status.js';

export interface WsReceiverOptions
  extends Pick<
    WsConnectionOptions,
    'pingTimeoutSeconds' | 'retryBaseMs' | 'retryMaxMs' | 'retryJitter' | 'onStatus'
  > {
  appId: string;
  appSecret: string;
  /** 'feishu' (default), 'lark', or a base URL. */
  domain?: string;
  /** The same handler the webhook receiver calls; must be quick (persist & enqueue, then ack). */
  onEvent: ChatEventHandler;
  /** The app's Encrypt Key, if set: lets the dispatcher decrypt `{"encrypt": ...}` payloads. */
  encryptKey?: string;
  /** Event types forwarded to onEvent. Default: messages and card callbacks. */
  eventTypes?: string[];
  logger?: Logger;
}

export interface WsReceiver {
  /** Starts connecting and returns; status() / health() say when the connection is up. */
  start(): Promise<void>;
  stop(): void;
  /** connecting → connected → reconnecting → failed …, with the reason. */
  status(): WsStatus;
  /** ok only while connected; otherwise the reason (for /healthz). */
  health(): Health;
  /** The dispatcher handed to the WSClient (exposed for tests: `dispatcher.invoke(...)`). */
  readonly dispatcher: lark.EventDispatcher;
}

/**
 * Long-connection transport: the SDK's WSClient (kept up by WsConnection) + an EventDispatcher whose
 * handlers rebuild the schema 2.0 event (the SDK flattens header and event) and call `onEvent`. The ack
 * is sent when the handler resolves, and Feishu wants it within 3 s: onEvent must not await real work.
 * A card callback arrives as an event too, and the SDK sends the handler's return value (the toast) back
 * as the callback's answer (handleEventData, lib/index.js:102699-102703).
 */
export function createWsReceiver(opts: WsReceiverOptions): WsReceiver {
  const logger = opts.logger ?? silentLogger;
  const dispatcher = new lark.EventDispatcher({
    loggerLevel: lark.LoggerLevel.warn,
    logger: sdkLogger(logger, { msg: 'lark ws', secrets: [opts.appSecret, opts.encryptKey] }),
    ...(opts.encryptKey ? { encryptKey: opts.encryptKey } : {}),
  });
  const handles: Record<string, (data: unknown) => Promise<unknown>> = {};
  for (const type of opts.eventTypes ?? ['im.message.receive_v1', 'card.action.trigger']) {
    handles[type] = async (data) => {
      const evt = toSchema2(data, type);
      try {
        // The SDK sends what the handler returns as the answer: for a card callback, its toast/card.
        const answer = await dispatch(
          decodeDelivery(evt as unknown as Record<string, unknown>),
          opts.onEvent,
          logger,
        );
        return type === 'card.action.trigger' ? answer : undefined;
      } catch (e) {
        logger.error(
          { err: e, eventId: evt.header.event_id, eventType: type },
          'lark ws: event handler failed',
        );
        throw e; // the SDK answers 500 so Feishu re-delivers
      }
    };
  }
  dispatcher.register(handles as never);
  const connection = new WsConnection({
    appId: opts.appId,
    appSecret: opts.appSecret,
    dispatcher,
    logger,
    secrets: [opts.encryptKey],
    ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
    ...(opts.pingTimeoutSeconds !== undefined ? { pingTimeoutSeconds: opts.pingTimeoutSeconds } : {}),
    ...(opts.retryBaseMs !== undefined ? { retryBaseMs: opts.retryBaseMs } : {}),
    ...(opts.retryMaxMs !== undefined ? { retryMaxMs: opts.retryMaxMs } : {}),
    ...(opts.retryJitter !== undefined ? { retryJitter: opts.retryJitter } : {}),
    ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
  });
  return {
    dispatcher,
    start: () => connection.start(),
    stop: () => connection.stop(),
    status: () => connection.status(),
    health: () => connection.health(),
  };
}

/** Starts the long connection; resolves to a function that stops it. */
export async function startWsReceiver(opts: WsReceiverOptions): Promise<() => void> {
  const receiver = createWsReceiver(opts);
  await receiver.start();
  return () => receiver.stop();
}

const HEADER_KEYS = ['event_id', 'event_type', 'create_time', 'token', 'app_id', 'tenant_key'] as const;

/** The SDK hands handlers `{...header, ...event}`; the rest of the bot speaks `{schema, header, event}`. */
export function toSchema2(data: unknown, eventType: string): LarkEvent {
  const d = (data ?? {}) as Record<string, unknown>;
  const header: Record<string, string> = {};
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if ((HEADER_KEYS as readonly string[]).includes(k)) header[k] = v == null ? '' : String(v);
    else if (k !== 'schema') event[k] = v;
  }
  return {
    schema: typeof d.schema === 'string' ? d.schema : '2.0',
    header: {
      event_id: header.event_id ?? '',
      event_type: header.event_type || eventType,
      create_time: header.create_time ?? '',
      token: header.token ?? '',
      app_id: header.app_id ?? '',
      tenant_key: header.tenant_key ?? '',
    },
    event,
  };
}
