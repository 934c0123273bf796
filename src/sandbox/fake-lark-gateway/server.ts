/**
 * A fake Feishu/Lark long-connection gateway, so tests can drive events and card callbacks
 * through the SDK's real WSClient over real sockets. It follows @larksuiteoapi/node-sdk 1.74.0,
 * lib/index.js, the CJS build Node loads (es/index.js has the same code ~18 lines earlier):
 *
 * - endpoint: WSConfig.wsConfigUrl = `${domain}/callback/ws/endpoint` (102000-102002), pullConnectConfig
 *   (102308-102380): see endpoint.ts. Pass `gateway.domain` as the WSClient's `domain`.
 * - connect: `new WebSocket(URL)` (102386), ping loop from 'open' (102419-102424, 102578-102597):
 *   control frame method 0, header type=ping, service = service_id from the URL, SeqID/LogID 0.
 * - pong: header type=pong, payload JSON ClientConfig, re-applied by the client (102638-102659).
 * - liveness: only with `wsConfig: { pingTimeout }` (seconds, 102206); armed on each ping, cleared by
 *   any inbound frame, terminates the socket when it fires (102222-102242). Each ping re-arms it, so
 *   it can only fire when pingTimeout < PingInterval.
 * - data frames: decode (101959) → handleEventData (102662-102711): only header type=event is handled,
 *   fragments merged by message_id/sum/seq (102017-102061), dispatcher.invoke(data, {needCheck:false}),
 *   ack = same frame + biz_rt header + payload {code, data?}: see event-ack.ts.
 * - card callbacks: 1.74 has no card path on the long connection; `card.action.trigger` arrives as a
 *   type=event frame; EventDispatcher.invoke flattens schema 2.0 (100865-100868) and calls the handler
 *   registered under header.event_type (100984-101002), whose return value (e.g. `{ toast }`)
 *   becomes the ack's `data`. A type=card frame is dropped and never acked (102671).
 * - reconnect: 'close' → reConnect (102624-102628): onReconnecting, wait ReconnectNonce·random, then
 *   tryConnect (a new endpoint call) every ReconnectInterval; onReconnected on success, onError after
 *   ReconnectCount failures (102502-102576). A fatal endpoint code fires onError at once (102486-102493).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { GatewayConnection, type RecordedFrame } from './connection.js';
import { type EndpointCall, EndpointCode, type IssuedTicket } from './endpoint.js';
import { serveEndpoint } from './endpoint-http.js';
import { GatewayNotConnectedError } from './errors.js';
import { eventFrames } from './event-frames.js';
import { FEISHU_CLIENT_CONFIG, headerValue, type LarkClientConfig, type LarkFrame } from './frames.js';
import type { FakeLarkGateway, FakeLarkGatewayOptions } from './gateway-types.js';
import { checkUpgrade, refuseUpgrade } from './upgrade.js';
import { Waiters } from './waiters.js';

export async function startFakeLarkGateway(opts: FakeLarkGatewayOptions): Promise<FakeLarkGateway> {
  const clientConfig: LarkClientConfig = { ...FEISHU_CLIENT_CONFIG, ...opts.clientConfig };
  const serviceId = opts.serviceId ?? 33554678;
  const authFailure = opts.authFailure ?? { code: EndpointCode.authFailed, msg: 'auth failed' };
  const ackTimeoutMs = opts.ackTimeoutMs ?? 3000;
  const waitTimeoutMs = opts.waitTimeoutMs ?? 5000;
  const waiters = new Waiters();
  const tickets = new Map<string, IssuedTicket>();
  const endpointCalls: EndpointCall[] = [];
  const frames: RecordedFrame[] = [];
  const connections: GatewayConnection[] = [];
  let refusing: 'endpoint' | 'handshake' | undefined;
  let answersPings = true;
  let refusedHandshakes = 0;
  let badFrames = 0;
  let frameSeq = 1;
  let closed = false;

  const server = createServer((req, res) => {
    serveEndpoint(req, res, {
      appId: opts.appId,
      appSecret: opts.appSecret,
      wsOrigin: `ws://${host}:${port}`,
      serviceId,
      clientConfig,
      refuse: refusing === 'endpoint',
      authFailure,
    }).then(
      ({ call, issued }) => {
        if (issued) tickets.set(issued.ticket, issued);
        if (call) endpointCalls.push(call);
        waiters.notify();
      },
      () => res.destroy(),
    );
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {});
    const check = checkUpgrade(req, tickets);
    if (closed || !check.ok || refusing === 'handshake') {
      refusedHandshakes++;
      if (!check.ok) refuseUpgrade(socket, check.status, check.msg);
      else
        refuseUpgrade(
          socket,
          503,
          closed ? 'gateway closed' : 'connections refused',
          EndpointCode.exceedConnLimit,
        );
      waiters.notify();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closed) return ws.terminate();
      connections.push(new GatewayConnection(connections.length + 1, check.ticket, ws, hooks));
      waiters.notify();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  const hooks = {
    record(connection: GatewayConnection, from: RecordedFrame['from'], frame: LarkFrame) {
      const type = headerValue(frame, 'type');
      const entry: RecordedFrame = {
        index: frames.length,
        connectionId: connection.id,
        from,
        at: Date.now(),
        frame,
      };
      if (type !== undefined) entry.type = type;
      frames.push(entry);
      waiters.notify();
    },
    answersPings: () => answersPings,
    clientConfig: () => clientConfig,
    onBadFrame() {
      badFrames++;
      waiters.notify();
    },
    onClose: () => waiters.notify(),
  };

  const openConnections = () => connections.filter((c) => c.isOpen);

  return {
    domain: `http://${host}:${port}`,
    endpointCalls,
    frames,
    connections,
    get refusedHandshakes() {
      return refusedHandshakes;
    },
    get badFrames() {
      return badFrames;
    },
    openConnections,
    pushEvent(payload, o = {}) {
      const open = openConnections();
      const target = o.connectionId === undefined ? open.at(-1) : open.find((c) => c.id === o.connectionId);
      if (!target) return Promise.reject(new GatewayNotConnectedError('no open long connection to push to'));
      const messageId = o.messageId ?? randomBytes(12).toString('hex');
      const seq = frameSeq++;
      const fragments = eventFrames({
        payload,
        type: o.type ?? 'event',
        messageId,
        traceId: o.traceId ?? randomBytes(8).toString('hex'),
        serviceId: target.serviceId,
        seqId: seq,
        logId: 7_000_000 + seq,
        ...(o.parts === undefined ? {} : { parts: o.parts }),
      });
      return target.pushAndAwaitAck(fragments, messageId, o.timeoutMs ?? ackTimeoutMs);
    },
    stopPongs: () => {
      answersPings = false;
    },
    resumePongs: () => {
      answersPings = true;
    },
    dropConnections(o = {}) {
      const open = openConnections();
      for (const c of open) c.drop(o.graceful);
      return open.length;
    },
    refuseConnections(o = {}) {
      refusing = o.at ?? 'handshake';
    },
    acceptConnections() {
      refusing = undefined;
    },
    waitUntil: (check, o = {}) => waiters.until(check, o.timeoutMs ?? waitTimeoutMs, o.what ?? 'a condition'),
    async waitForFrame(match, o = {}) {
      const find = () => frames.slice(o.since ?? 0).find(match);
      await waiters.until(() => find() !== undefined, o.timeoutMs ?? waitTimeoutMs, 'a matching frame');
      return find()!;
    },
    async waitForConnections(count, o = {}) {
      await waiters.until(
        () => connections.length >= count,
        o.timeoutMs ?? waitTimeoutMs,
        `${count} connection(s)`,
      );
      return connections[count - 1]!;
    },
    async close() {
      if (closed) return;
      closed = true;
      waiters.rejectAll();
      for (const c of connections) c.drop();
      wss.close();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}
