/**
 * A process the benchmarks measure or lean on, started by bench/lib.ts `startChild(mode)` and driven over IPC:
 * - `peers`: the fake Feishu Open API + the Jimeng simulator (what the bot calls), so they do not share the
 *   bot's event loop;
 * - `bot`: the real app (createApp, production config) pointed at the peers through LARK_DOMAIN/JIMENG_ENDPOINT;
 * - `bare`: the floor: node:http doing only raw-body signature check + decrypt + JSON.parse + 200;
 * - `sdk`: the peer: @larksuiteoapi/node-sdk EventDispatcher + adaptKoa with a no-op handler;
 * - `client`: the fixed-rate load generator (bench/paced.ts) for ack latencies.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Router from '@koa/router';
import * as lark from '@larksuiteoapi/node-sdk';
import Koa from 'koa';
import type { App } from '../src/app.js';
import type { SignedRequest } from '../src/sandbox/lark-event-builder.js';
import { paced } from './paced.js';

// The measured code is the production build (dist/, compiled by tsc; bench/lib.ts ensureBuilt), not the
// sources through tsx, whose transform adds its own helpers to every function.
const dist = <T>(path: string): Promise<T> => import(new URL(`../dist/${path}`, import.meta.url).href);
const { createApp } = await dist<typeof import('../src/app.js')>('app.js');
const { loadConfig } = await dist<typeof import('../src/config.js')>('config.js');
const { decryptLarkEvent } =
  await dist<typeof import('../src/lark/decrypt-event.js')>('lark/decrypt-event.js');
const { verifyLarkSignature } =
  await dist<typeof import('../src/lark/verify-signature.js')>('lark/verify-signature.js');
const { startFakeFeishu } =
  await dist<typeof import('../src/sandbox/fake-feishu.js')>('sandbox/fake-feishu.js');
const { startJimengSimulator } = await dist<typeof import('../src/sandbox/jimeng-simulator.js')>(
  'sandbox/jimeng-simulator.js',
);

type Msg = Record<string, unknown> & { id: number; cmd: string };
type Handler = (m: Msg) => unknown;

const env = process.env;
const send = (m: Record<string, unknown>) => process.send?.(m);

function serve(handler: Handler): void {
  process.on('message', async (m: Msg) => {
    // Every measured server answers 'cpu': its CPU time so far (µs, user + system), for CPU per request.
    const result = m.cmd === 'cpu' ? cpuMicros() : await handler(m);
    send({ id: m.id, result: result ?? null });
  });
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

async function peers(): Promise<void> {
  const appId = env.BENCH_APP_ID!;
  const feishu = await startFakeFeishu({ appId, appSecret: env.BENCH_APP_SECRET! });
  const jimeng = await startJimengSimulator({
    accessKeyId: env.BENCH_AK!,
    secretAccessKey: env.BENCH_SK!,
    generationMs: Number(env.BENCH_GENERATION_MS ?? 3_600_000),
  });
  serve((m) => {
    if (m.cmd === 'register') {
      const ids: string[] = [];
      for (let i = 0; i < Number(m.n); i++)
        ids.push(
          feishu.addUserMessage({
            chatId: String(m.chatId),
            chatType: 'group',
            senderOpenId: String(m.sender),
            msgType: 'text',
            content: { text: String(m.text) },
          }),
        );
      return ids;
    }
    if (m.cmd === 'stats')
      return { messages: feishu.messages.length, tasks: jimeng.tasks.size, calls: jimeng.calls.length };
    return null;
  });
  send({ type: 'ready', feishuUrl: feishu.url, jimengUrl: jimeng.url });
}

async function bot(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-bot-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LARK_APP_ID: env.BENCH_APP_ID,
    LARK_APP_SECRET: env.BENCH_APP_SECRET,
    LARK_ENCRYPT_KEY: env.BENCH_ENCRYPT_KEY,
    LARK_VERIFICATION_TOKEN: env.BENCH_TOKEN,
    LARK_DOMAIN: env.BENCH_FEISHU_URL,
    VOLC_ACCESSKEY: env.BENCH_AK,
    VOLC_SECRETKEY: env.BENCH_SK,
    JIMENG_ENDPOINT: env.BENCH_JIMENG_URL,
    // The benchmark is one user flooding the bot: lift the product limits so every /video becomes a job.
    QUOTA_USER_DAILY: '100000000',
    QUOTA_CHAT_DAILY: '0',
    BUDGET_DAILY_YUAN: '0',
    QUOTA_MAX_IN_FLIGHT: '100000000',
    LOG_LEVEL: 'silent',
    // bench/store-pg.ts: replicas on one PostgreSQL (empty: the file store).
    ...(env.BENCH_DATABASE_URL ? { DATABASE_URL: env.BENCH_DATABASE_URL } : {}),
  });
  const app: App = await createApp({ config });
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  const url = await app.listen(0, '127.0.0.1');
  serve(async (m) => {
    if (m.cmd === 'idle') {
      const t0 = performance.now();
      await app.bot.idle();
      return { ms: performance.now() - t0 };
    }
    if (m.cmd === 'eld') {
      // Event-loop delay since the last 'eld' (ms): what every ack waiting in line behind other work sees.
      const r = { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 };
      eld.reset();
      return r;
    }
    if (m.cmd === 'stats') {
      const counts = await app.store.jobCounts();
      return {
        jobs: Object.values(counts).reduce((a, b) => a + b, 0),
        queued: counts.queued,
        inbox: (await app.store.claimInbox({ now: 0, limit: 1e9, leaseMs: 0 })).length,
        ...('writes' in app.store ? { writes: app.store.writes } : {}),
        ...memory(),
      };
    }
    return null;
  });
  send({ type: 'ready', url: `${url}/webhook/event` });
}

async function bare(): Promise<void> {
  const encryptKey = env.BENCH_ENCRYPT_KEY!;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const ok = verifyLarkSignature({
        timestamp: String(req.headers['x-lark-request-timestamp'] ?? ''),
        nonce: String(req.headers['x-lark-request-nonce'] ?? ''),
        signature: String(req.headers['x-lark-signature'] ?? ''),
        encryptKey,
        rawBody: raw,
      });
      if (!ok) {
        res.writeHead(401).end();
        return;
      }
      try {
        JSON.parse(
          decryptLarkEvent(encryptKey, (JSON.parse(raw.toString('utf8')) as { encrypt: string }).encrypt),
        );
      } catch {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serve(() => memory());
  send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event` });
}

/** Diagnostic (not in the table): Koa + @koa/router doing what `bare` does, to see what the framework costs. */
async function koa(): Promise<void> {
  const encryptKey = env.BENCH_ENCRYPT_KEY!;
  const app = new Koa();
  const router = new Router();
  router.post('/webhook/event', async (ctx) => {
    const raw = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      ctx.req.on('data', (c: Buffer) => chunks.push(c));
      ctx.req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const ok = verifyLarkSignature({
      timestamp: ctx.get('x-lark-request-timestamp'),
      nonce: ctx.get('x-lark-request-nonce'),
      signature: ctx.get('x-lark-signature'),
      encryptKey,
      rawBody: raw,
    });
    if (!ok) {
      ctx.status = 401;
      return;
    }
    JSON.parse(
      decryptLarkEvent(encryptKey, (JSON.parse(raw.toString('utf8')) as { encrypt: string }).encrypt),
    );
    ctx.body = {};
  });
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  serve(() => memory());
  send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event` });
}

async function sdk(): Promise<void> {
  const dispatcher = new lark.EventDispatcher({
    encryptKey: env.BENCH_ENCRYPT_KEY!,
    verificationToken: env.BENCH_TOKEN!,
    loggerLevel: lark.LoggerLevel.error,
  }).register({ 'im.message.receive_v1': async () => {} });
  const koa = new Koa();
  koa.use(lark.adaptKoa('/webhook/event', dispatcher, { autoChallenge: true }));
  const server = koa.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  serve(() => memory());
  send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event` });
}

/** The paced (fixed-rate) load generator, away from the orchestrator's large heap. */
async function client(): Promise<void> {
  serve((m) =>
    paced(m.url as string | string[], m.reqs as SignedRequest[], Number(m.rate), Number(m.seconds)),
  );
  send({ type: 'ready' });
}

const modes: Record<string, () => Promise<void>> = { peers, bot, bare, sdk, koa, client };
const run = modes[process.argv[2] ?? ''];
if (!run) {
  process.stderr.write(`unknown mode ${process.argv[2]}; one of ${Object.keys(modes).join(', ')}\n`);
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));
run().catch((err) => {
  process.stderr.write(`bench target ${process.argv[2]} failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
