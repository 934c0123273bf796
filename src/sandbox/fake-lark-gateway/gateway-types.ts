import type { GatewayConnection, RecordedFrame } from './connection.js';
import type { EndpointCall } from './endpoint.js';
import type { EventAck } from './event-ack.js';
import type { LarkClientConfig } from './frames.js';

export interface FakeLarkGatewayOptions {
  appId: string;
  appSecret: string;
  host?: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Seconds, as Feishu sends them; default the SDK's own 120/-1/120/30 (FEISHU_CLIENT_CONFIG). Tests want small values. */
  clientConfig?: Partial<LarkClientConfig>;
  serviceId?: number;
  /** The endpoint's answer to a wrong AppID/AppSecret; default `{ code: 514 (auth_failed), msg }`. */
  authFailure?: { code: number; msg: string };
  /** pushEvent's default; Feishu's own is 3000 ms. */
  ackTimeoutMs?: number;
  /** waitFor*'s default; 5000 ms. */
  waitTimeoutMs?: number;
}

export interface PushEventOptions {
  /** Frame header `type`; default 'event' (card.action.trigger too: see the header comment). */
  type?: 'event' | 'card';
  messageId?: string;
  traceId?: string;
  /** Split the payload over this many frames. */
  parts?: number;
  timeoutMs?: number;
  /** Default: the newest open connection. */
  connectionId?: number;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export interface FakeLarkGateway {
  /** `http://host:port`: the WSClient's `domain`. */
  readonly domain: string;
  readonly endpointCalls: readonly EndpointCall[];
  readonly frames: readonly RecordedFrame[];
  /** Every accepted connection, open or closed, oldest first. */
  readonly connections: readonly GatewayConnection[];
  readonly refusedHandshakes: number;
  /** Client frames that failed to decode. */
  readonly badFrames: number;
  openConnections(): GatewayConnection[];
  /** Pushes an event (or card callback) as Feishu would and resolves with the client's decoded ack. */
  pushEvent(payload: object, opts?: PushEventOptions): Promise<EventAck>;
  /** Stops answering pings: a silently dead connection. */
  stopPongs(): void;
  resumePongs(): void;
  /** Kills every open connection (terminate, or a clean close frame); returns how many. */
  dropConnections(opts?: { graceful?: boolean }): number;
  /** 'handshake' (default): the WebSocket upgrade is refused; 'endpoint': the endpoint answers 1000040343. */
  refuseConnections(opts?: { at?: 'endpoint' | 'handshake' }): void;
  acceptConnections(): void;
  waitUntil(check: () => boolean, opts?: WaitOptions & { what?: string }): Promise<void>;
  /** First recorded frame from `since` (an index into frames, default 0) that matches. */
  waitForFrame(
    match: (f: RecordedFrame) => boolean,
    opts?: WaitOptions & { since?: number },
  ): Promise<RecordedFrame>;
  /** Resolves with the count-th accepted connection (1-based). */
  waitForConnections(count: number, opts?: WaitOptions): Promise<GatewayConnection>;
  /** Ends every socket, timer and waiter. */
  close(): Promise<void>;
}
