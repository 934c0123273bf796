import type { WebSocket } from 'ws';
import type { IssuedTicket } from './endpoint.js';
import { AckTimeoutError, ConnectionClosedError } from './errors.js';
import { type EventAck, parseEventAck } from './event-ack.js';
import {
  decodeFrame,
  encodeFrame,
  FrameMethod,
  headerValue,
  type LarkClientConfig,
  type LarkFrame,
  pongFrame,
} from './frames.js';

export interface RecordedFrame {
  /** Position in the gateway's frame log. */
  index: number;
  connectionId: number;
  from: 'client' | 'gateway';
  at: number;
  /** Header `type`: ping / pong / event / card. */
  type?: string;
  frame: LarkFrame;
}

export interface GatewayConnectionHooks {
  record(connection: GatewayConnection, from: RecordedFrame['from'], frame: LarkFrame): void;
  /** Whether to answer pings right now (stopPongs() flips it). */
  answersPings(): boolean;
  /** Sent in every pong, as Feishu does. */
  clientConfig(): LarkClientConfig;
  onBadFrame(connection: GatewayConnection, err: unknown): void;
  onClose(connection: GatewayConnection): void;
}

interface PendingAck {
  resolve(ack: EventAck): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  sentAt: number;
}

/** One accepted long connection, seen from the gateway's side. */
export class GatewayConnection {
  readonly openedAt = Date.now();
  closedAt?: number;
  private readonly pendingAcks = new Map<string, PendingAck>();

  constructor(
    readonly id: number,
    readonly ticket: IssuedTicket,
    private readonly socket: WebSocket,
    private readonly hooks: GatewayConnectionHooks,
  ) {
    socket.on('message', (data: Buffer) => this.receive(data));
    socket.on('error', () => {
      // a reset peer: 'close' follows
    });
    socket.on('close', () => this.closed());
  }

  get serviceId(): number {
    return this.ticket.serviceId;
  }

  get isOpen(): boolean {
    return this.closedAt === undefined;
  }

  send(frame: LarkFrame): void {
    this.hooks.record(this, 'gateway', frame);
    this.socket.send(encodeFrame(frame));
  }

  /** Sends the fragments of one event and resolves with the client's ack for its message_id. */
  pushAndAwaitAck(frames: LarkFrame[], messageId: string, timeoutMs: number): Promise<EventAck> {
    if (!this.isOpen) return Promise.reject(new ConnectionClosedError(messageId));
    const acked = new Promise<EventAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(messageId);
        reject(new AckTimeoutError(messageId, timeoutMs));
      }, timeoutMs);
      this.pendingAcks.set(messageId, { resolve, reject, timer, sentAt: Date.now() });
    });
    for (const frame of frames) this.send(frame);
    return acked;
  }

  /** terminate() = the TCP connection just dies (close code 1006 on the client); close() = a clean close frame. */
  drop(graceful = false): void {
    if (graceful) this.socket.close(1000, 'fake gateway closed the connection');
    else this.socket.terminate();
  }

  private receive(data: Buffer): void {
    let frame: LarkFrame;
    try {
      frame = decodeFrame(data);
    } catch (err) {
      this.hooks.onBadFrame(this, err);
      return;
    }
    this.hooks.record(this, 'client', frame);
    const type = headerValue(frame, 'type');
    if (frame.method === FrameMethod.control && type === 'ping') {
      if (this.hooks.answersPings() && this.isOpen)
        this.send(pongFrame(this.serviceId, this.hooks.clientConfig()));
      return;
    }
    if (frame.method !== FrameMethod.data) return;
    const messageId = headerValue(frame, 'message_id') ?? '';
    const pending = this.pendingAcks.get(messageId);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pendingAcks.delete(messageId);
    pending.resolve(parseEventAck(frame, Date.now() - pending.sentAt));
  }

  private closed(): void {
    if (this.closedAt !== undefined) return;
    this.closedAt = Date.now();
    for (const [messageId, pending] of this.pendingAcks) {
      clearTimeout(pending.timer);
      pending.reject(new ConnectionClosedError(messageId));
    }
    this.pendingAcks.clear();
    this.hooks.onClose(this);
  }
}
