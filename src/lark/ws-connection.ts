/**
 * Keeps the SDK's long connection (WSClient, @larksuiteoapi/node-sdk 1.74.0) up and says how it is doing.
 * Only the SDK's public options are used (lib/index.js:102180-102210): onReady, onError, onReconnecting,
 * onReconnected, wsConfig.pingTimeout, httpInstance, logger.
 *
 * What the SDK does on its own (reConnect, lib/index.js:102431-102576): a lost socket is reconnected
 * (onReconnecting, then onReconnected) with a fresh endpoint call each time, ReconnectCount times (-1,
 * the SDK's default, = forever).
 * It gives up, firing onError and never trying again, when the endpoint answers a non-retryable code
 * (a wrong app secret: `code: 514, auth failed`, after ONE call; lib/index.js:102346-102357, 102486-102493)
 * or when the reconnects are exhausted. That is where this class takes over: it closes the spent client,
 * waits (exponential backoff with jitter) and starts a new WSClient, until one connects.
 * A retryable failure (endpoint unreachable or busy, handshake refused) stays inside the SDK's own loop:
 * every ReconnectInterval, and before the first ClientConfig on its defaults (0-30 s, then every 120 s);
 * the status is then `connecting`/`reconnecting` with the SDK's last error line as `lastError`.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../log.js';
import { resolveDomain } from './resolve-domain.js';
import { type SdkLogLevel, sdkLogger } from './sdk-logger.js';
import { type Health, healthOf, retryDelay, type WsState, type WsStatus } from './ws-status.js';

/**
 * PingInterval (s): the SDK's default (WSConfig, lib/index.js:101970-101979) until the endpoint's ClientConfig
 * says otherwise (the fake gateway's default too). What Feishu really sends is not documented; the endpoint
 * answer is watched and a PingInterval our pingTimeout cannot work with is logged (endpointHttp).
 */
export const SDK_PING_INTERVAL_S = 120;

/**
 * A `wsConfig.pingTimeout` (s) that can work with a given PingInterval (s).
 *
 * The SDK arms its watchdog for pingTimeout each time it SENDS a ping (pingLoop → armLiveness, which first
 * clears a pending one; lib/index.js:102222-102236, 102578-102597) and clears it on ANY inbound frame
 * (lib/index.js:102603). So with pingTimeout ≥ PingInterval the next ping re-arms it before it can fire, and
 * a dead connection is never noticed: it must be shorter than the interval. It must also be longer than a
 * pong's round trip plus event-loop stalls, or healthy connections get cut. A quarter of the interval, at
 * most 30 s: with 120 s, a connection that dies right after a pong is noticed ≤ 150 s later (the
 * next ping at +120 s, no pong by +150 s), and a pong up to 30 s late is still accepted.
 */
export function pingTimeoutFor(pingIntervalS: number): number {
  return Math.min(30, pingIntervalS / 4);
}

/** The SDK's own check before it starts (WSClient.start, lib/index.js:102788-102794): anything else never connects. */
const APP_ID = /^cli_[0-9a-fA-F]{16}$/;

export interface WsConnectionOptions {
  appId: string;
  appSecret: string;
  /** 'feishu' (default), 'lark', or a base URL. */
  domain?: string;
  dispatcher: lark.EventDispatcher;
  logger: Logger;
  /** More values never to log (the encrypt key). */
  secrets?: readonly (string | undefined)[];
  /** Seconds; default pingTimeoutFor(SDK_PING_INTERVAL_S) = 30. Must be shorter than the gateway's PingInterval. */
  pingTimeoutSeconds?: number;
  /** First wait before a new WSClient after one gave up; doubles per failure. Default 5 s. */
  retryBaseMs?: number;
  /** Longest wait between WSClients. Default 5 min. */
  retryMaxMs?: number;
  /** Share of each wait taken off at random, 0–1. Default 0.2. */
  retryJitter?: number;
  /** Called after every status change (state, reason, retry time). */
  onStatus?: (s: WsStatus) => void;
}

export class WsConnection {
  private readonly o: WsConnectionOptions;
  private readonly log: Logger;
  private readonly sdkLog: lark.Logger;
  private readonly pingTimeoutS: number;
  private client: lark.WSClient | undefined;
  /** Bumped per WSClient: callbacks of a replaced client are ignored. */
  private generation = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private warnedPingInterval = false;
  private current: WsStatus = { state: 'idle', connected: false, since: Date.now(), failures: 0 };

  constructor(o: WsConnectionOptions) {
    this.o = o;
    this.log = o.logger;
    this.pingTimeoutS = o.pingTimeoutSeconds ?? pingTimeoutFor(SDK_PING_INTERVAL_S);
    this.sdkLog = sdkLogger(o.logger, {
      msg: 'lark ws',
      secrets: [o.appSecret, ...(o.secrets ?? [])],
      onLine: (level, text) => {
        if (level === 'error' && !this.current.connected && this.current.state !== 'stopped') {
          this.current = { ...this.current, lastError: text };
        }
      },
    });
  }

  status(): WsStatus {
    return { ...this.current };
  }

  health(): Health {
    return healthOf(this.current);
  }

  async start(): Promise<void> {
    if (!APP_ID.test(this.o.appId)) {
      // WSClient.start would log "invalid appId" and return without a callback, ever.
      this.set('failed', {
        reason: 'LARK_APP_ID does not look like cli_ + 16 hex digits; the SDK will not connect',
      });
      return;
    }
    this.set('connecting');
    await this.launch();
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.generation++;
    const client = this.client;
    this.client = undefined;
    client?.close({ force: true });
    if (this.current.state !== 'idle') this.set('stopped');
  }

  private async launch(): Promise<void> {
    const gen = ++this.generation;
    const mine = () => gen === this.generation;
    let client: lark.WSClient;
    try {
      client = new lark.WSClient({
        appId: this.o.appId,
        appSecret: this.o.appSecret,
        domain: resolveDomain(this.o.domain),
        logger: this.sdkLog,
        loggerLevel: sdkLevelFor(this.log),
        httpInstance: this.endpointHttp(),
        wsConfig: { pingTimeout: this.pingTimeoutS },
        onReady: () => mine() && this.connected(),
        onReconnected: () => mine() && this.connected(),
        onReconnecting: () => mine() && this.set('reconnecting', { reason: 'the connection was lost' }),
        onError: (err) => mine() && this.gaveUp(err),
      });
    } catch (err) {
      this.gaveUp(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    this.client = client;
    this.log.debug({ failures: this.current.failures }, 'lark ws: starting a WSClient');
    try {
      await client.start({ eventDispatcher: this.o.dispatcher });
    } catch (err) {
      if (mine()) this.gaveUp(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private connected(): void {
    clearTimeout(this.retryTimer);
    this.set('connected', { failures: 0 });
  }

  /** The SDK fired onError: it will not try again. Start a new client after a backoff. */
  private gaveUp(err: Error): void {
    const spent = this.client;
    this.client = undefined;
    this.generation++;
    spent?.close({ force: true });
    const failures = this.current.failures + 1;
    const delay = retryDelay(failures, {
      baseMs: this.o.retryBaseMs ?? 5_000,
      maxMs: this.o.retryMaxMs ?? 300_000,
      jitter: this.o.retryJitter ?? 0.2,
    });
    this.set('failed', { reason: err.message || String(err), failures, retryAt: Date.now() + delay });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      // still failed (no new state line) until the new client connects or gives up; the retry time and
      // the previous client's last error go (the new client's errors show while it tries)
      const { retryAt: _at, lastError: _err, ...rest } = this.current;
      this.current = rest;
      this.o.onStatus?.(this.status());
      this.launch().catch((e: unknown) => this.log.error({ err: e }, 'lark ws: restart failed'));
    }, delay);
    this.retryTimer.unref?.();
  }

  /**
   * One line per change of state or reason. A retry that fails the same way only updates the status
   * (a wrong secret retried every 5 min does not fill the log); each attempt is at debug.
   */
  private set(state: WsState, more: { reason?: string; failures?: number; retryAt?: number } = {}): void {
    const prev = this.current;
    const connected = state === 'connected';
    const next: WsStatus = {
      state,
      connected,
      since: prev.state === state && prev.reason === more.reason ? prev.since : Date.now(),
      failures: more.failures ?? prev.failures,
    };
    if (more.reason !== undefined) next.reason = more.reason;
    if (more.retryAt !== undefined) next.retryAt = more.retryAt;
    // keep the SDK's last error while still trying; a connection or a stop clears it
    if (!connected && state !== 'stopped' && prev.lastError !== undefined) next.lastError = prev.lastError;
    this.current = next;
    const fields = {
      state,
      ...(next.reason ? { reason: next.reason } : {}),
      ...(next.retryAt ? { retryInMs: next.retryAt - Date.now(), failures: next.failures } : {}),
    };
    if (prev.state !== state || prev.reason !== next.reason) {
      const line = `lark ws: ${state}`;
      if (state === 'failed') this.log.error(fields, line);
      else if (state === 'reconnecting') this.log.warn(fields, line);
      else this.log.info(fields, line);
    } else {
      this.log.debug(fields, 'lark ws: still the same');
    }
    this.o.onStatus?.(this.status());
  }

  /**
   * The SDK's HTTP instance, watched: the endpoint call answers the ClientConfig, and a PingInterval not
   * longer than our pingTimeout means the SDK's watchdog can never fire (see pingTimeoutFor). Said once.
   */
  private endpointHttp(): lark.HttpInstance {
    const base = lark.defaultHttpInstance;
    const watch = (body: unknown) => {
      const ping = (body as { data?: { ClientConfig?: { PingInterval?: unknown } } } | undefined)?.data
        ?.ClientConfig?.PingInterval;
      if (typeof ping !== 'number' || ping <= 0 || this.warnedPingInterval) return;
      if (this.pingTimeoutS >= ping) {
        this.warnedPingInterval = true;
        this.log.warn(
          { pingIntervalS: ping, pingTimeoutS: this.pingTimeoutS },
          "lark ws: the gateway's PingInterval is not longer than our pingTimeout, so the SDK cannot notice a dead connection; use a pingTimeout below the PingInterval",
        );
      }
    };
    return {
      request: async (o) => {
        const body = await base.request(o);
        watch(body);
        return body;
      },
      get: (url, o) => base.get(url, o),
      delete: (url, o) => base.delete(url, o),
      head: (url, o) => base.head(url, o),
      options: (url, o) => base.options(url, o),
      post: (url, data, o) => base.post(url, data, o),
      put: (url, data, o) => base.put(url, data, o),
      patch: (url, data, o) => base.patch(url, data, o),
    } as lark.HttpInstance;
  }
}

/** The SDK logs as much as our logger would show: debug lines (connect URL, payloads) only at debug. */
function sdkLevelFor(logger: Logger): lark.LoggerLevel {
  const levels: [SdkLogLevel, lark.LoggerLevel][] = [
    ['trace', lark.LoggerLevel.trace],
    ['debug', lark.LoggerLevel.debug],
  ];
  for (const [name, level] of levels) if (logger.isLevelEnabled(name)) return level;
  return lark.LoggerLevel.info;
}
