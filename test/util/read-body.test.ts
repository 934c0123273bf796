import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLargeError, type ReadBodyOptions, readBody } from '../../src/util/read-body.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A server that reads each body with `opts` and answers what happened as JSON. */
async function serve(opts: ReadBodyOptions): Promise<string> {
  server = createServer((req: IncomingMessage, res) => {
    readBody(req, opts).then(
      (body) => res.end(JSON.stringify({ ok: true, bytes: body.length, text: body.toString() })),
      (e: unknown) => {
        const tooLarge = e instanceof BodyTooLargeError;
        res.writeHead(tooLarge ? 413 : 400, { connection: 'close' });
        res.end(JSON.stringify({ ok: false, tooLarge, size: tooLarge ? e.size : undefined }));
      },
    );
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** A body sent in chunks without Content-Length (chunked), so only the reader sees the size. */
function chunked(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= total) return c.close();
      const n = Math.min(1000, total - sent);
      sent += n;
      c.enqueue(new Uint8Array(n).fill(65));
    },
  });
}

const post = (url: string, body: BodyInit, extra: RequestInit = {}) =>
  fetch(url, { method: 'POST', body, ...extra, duplex: 'half' } as RequestInit).then(async (r) => ({
    status: r.status,
    json: (await r.json()) as Record<string, unknown>,
  }));

describe('readBody', () => {
  it('returns the whole body under the limit', async () => {
    const url = await serve({ limit: 10 });
    expect(await post(url, 'héllo')).toEqual({ status: 200, json: { ok: true, bytes: 6, text: 'héllo' } });
    expect(await post(url, '')).toEqual({ status: 200, json: { ok: true, bytes: 0, text: '' } });
  });

  it('reject: a declared Content-Length over the limit fails before reading', async () => {
    const url = await serve({ limit: 100, overLimit: 'reject' });
    expect(await post(url, 'x'.repeat(101))).toEqual({
      status: 413,
      json: { ok: false, tooLarge: true, size: 101 },
    });
  });

  it('reject: an undeclared (chunked) body fails once it passes the limit', async () => {
    const url = await serve({ limit: 2500, overLimit: 'reject' });
    const a = await post(url, chunked(5000));
    expect(a.status).toBe(413);
    expect(a.json.size).toBeGreaterThan(2500);
    expect(a.json.size).toBeLessThan(5000);
  });

  it('drain: reads to the end, then reports the full size as too large', async () => {
    const url = await serve({ limit: 2500, overLimit: 'drain' });
    expect(await post(url, chunked(5000))).toEqual({
      status: 413,
      json: { ok: false, tooLarge: true, size: 5000 },
    });
    expect(await post(url, 'x'.repeat(3000))).toEqual({
      status: 413,
      json: { ok: false, tooLarge: true, size: 3000 },
    });
    // The same server still reads bodies under the limit.
    expect((await post(url, 'ok')).json).toMatchObject({ ok: true, text: 'ok' });
  });
});
