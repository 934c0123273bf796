import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OneOrigin {
  /** `http://127.0.0.1:port`: hand it out as the one base URL. */
  url: string;
  close(): Promise<void>;
}

/**
 * One base URL in front of several local fakes, routed by path: the bot has ONE `LARK_DOMAIN` for the
 * Open API (the Messenger) and the long connection's endpoint call (`${domain}/callback/ws/endpoint`,
 * WSConfig.wsConfigUrl in @larksuiteoapi/node-sdk 1.74.0 lib/index.js:102000-102002), while the fake
 * Feishu and the fake gateway are separate servers. Only plain HTTP is forwarded: the WebSocket itself
 * goes straight to the gateway (the endpoint's answer names its URL).
 */
export async function startOneOrigin(route: (path: string) => string): Promise<OneOrigin> {
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', route(req.url ?? '/'));
    const upstream = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end('{"code":502,"msg":"upstream unreachable"}');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
