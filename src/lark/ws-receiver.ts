import * as lark from '@larksuiteoapi/node-sdk';
import { type Logger, silentLogger } from '../log.js';
import { decodeDelivery } from './decode-delivery.js';
import { dispatch } from './dispatch.js';
import type { ChatEventHandler } from './events.js';
import { resolveDomain } from './resolve-domain.js';
import type { LarkEvent } from './types.js';

export interface WsReceiverOptions {
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
  start(): Promise<void>;
  stop(): void;
  /** The dispatcher handed to the WSClient (exposed for tests: `dispatcher.invoke(...)`). */
  readonly dispatcher: lark.EventDispatcher;
}

/**
 * Long-connection transport: the SDK's WSClient + an EventDispatcher whose handlers rebuild the schema 2.0
 * event (the SDK flattens header and event) and call `onEvent`. The ack is sent when the handler resolves,
 * and Feishu wants it within 3 s: onEvent must not await real work.
 */
export function createWsReceiver(opts: WsReceiverOptions): WsReceiver {
  const logger = opts.logger ?? silentLogger;
  const sdkLogger = sdkLoggerFor(logger);
  const dispatcher = new lark.EventDispatcher({
    loggerLevel: lark.LoggerLevel.warn,
    logger: sdkLogger,
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
  let client: lark.WSClient | undefined;
  return {
    dispatcher,
    async start() {
      if (!/^cli_[0-9a-fA-F]{16}$/.test(opts.appId)) {
        logger.error(
          'lark ws: LARK_APP_ID does not look like cli_ + 16 hex digits; the long connection will not start',
        );
      }
      client = new lark.WSClient({
        appId: opts.appId,
        appSecret: opts.appSecret,
        domain: resolveDomain(opts.domain),
        loggerLevel: lark.LoggerLevel.info,
        logger: sdkLogger,
      });
      await client.start({ eventDispatcher: dispatcher });
    },
    stop() {
      client?.close({ force: true });
      client = undefined;
    },
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

function sdkLoggerFor(logger: Logger): lark.Logger {
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : ''))
      .filter(Boolean)
      .join(' ')
      // the ws debug line includes whole event payloads and the connect URL carries a ticket
      .replace(/(ticket|access_key|token)=[^&\s]+/gi, '$1=[redacted]');
  return {
    error: (...m: unknown[]) => logger.error({ sdk: text(m) }, 'lark ws'),
    warn: (...m: unknown[]) => logger.warn({ sdk: text(m) }, 'lark ws'),
    info: (...m: unknown[]) => logger.info({ sdk: text(m) }, 'lark ws'),
    debug: (...m: unknown[]) => logger.debug({ sdk: text(m) }, 'lark ws'),
    trace: (...m: unknown[]) => logger.trace({ sdk: text(m) }, 'lark ws'),
  };
}
