/**
 * `GET /sandbox/events`: a server-sent event stream of the sandbox group chat. A new stream gets a
 * `snapshot`, then `message`, `patch` and `knobs` events; the fake Feishu is listened to only while at
 * least one stream is open.
 */
import type { ServerResponse } from 'node:http';
import type Router from '@koa/router';
import type { FakeFeishu, StoredMessage } from '../fake-feishu.js';

const HEARTBEAT_MS = 15_000;

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export interface EventStreamDeps {
  feishu: FakeFeishu;
  chatId: string;
  snapshot(): unknown;
  view(m: StoredMessage): unknown;
  knobs(): unknown;
}

export class ChatEventStream {
  private readonly clients = new Set<ServerResponse>();
  private listening = false;
  private readonly onMessage = (m: StoredMessage) => {
    if (m.chatId !== this.d.chatId) return;
    this.broadcast('message', this.d.view(m));
    this.broadcast('knobs', this.d.knobs());
  };
  private readonly onPatch = (p: { message: StoredMessage }) => {
    if (p.message.chatId !== this.d.chatId) return;
    this.broadcast('patch', this.d.view(p.message));
    this.broadcast('knobs', this.d.knobs());
  };

  /** A card replaced by a callback answer: shown like a patch. */
  private readonly onUpdate = (m: StoredMessage) => {
    if (m.chatId !== this.d.chatId) return;
    this.broadcast('patch', this.d.view(m));
  };

  constructor(private readonly d: EventStreamDeps) {}

  broadcast(event: string, data: unknown): void {
    const text = frame(event, data);
    for (const res of this.clients) res.write(text);
  }

  addRoute(router: Router): void {
    router.get('/sandbox/events', (ctx) => {
      // Written straight to the socket (ctx.respond = false): a stream body would make Koa report every
      // closed tab as a "Premature close" error.
      const { req, res } = ctx;
      req.socket.setTimeout(0);
      req.socket.setNoDelay(true);
      req.socket.setKeepAlive(true);
      ctx.respond = false;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write(`retry: 2000\n${frame('snapshot', this.d.snapshot())}`);
      this.clients.add(res);
      this.listen(true);
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      res.once('close', () => {
        clearInterval(heartbeat);
        this.clients.delete(res);
        if (this.clients.size === 0) this.listen(false);
      });
    });
  }

  close(): void {
    for (const res of this.clients) {
      res.end();
      res.socket?.destroy();
    }
    this.clients.clear();
    this.listen(false);
  }

  private listen(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    if (on) {
      this.d.feishu.on('message', this.onMessage);
      this.d.feishu.on('patch', this.onPatch);
      this.d.feishu.on('update', this.onUpdate);
    } else {
      this.d.feishu.off('message', this.onMessage);
      this.d.feishu.off('patch', this.onPatch);
      this.d.feishu.off('update', this.onUpdate);
    }
  }
}
