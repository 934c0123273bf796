/**
 * Memory: resident set size of the bot as it runs in production (`node dist/main.js`, compiled, production
 * config, no tsx), holding 1,000 queued jobs (simulator generation 1 h, 2 tasks at Jimeng at a time), side by
 * side with the same process idle before the first event. RSS is read from the OS (`ps`), without forcing a
 * GC, so it is what a container limit would see. Its fake Feishu and simulator run in another process.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMessageEvent, postEvent } from '../src/sandbox/lark-event-builder.js';
import {
  type BenchResult,
  benchSecrets,
  ensureBuilt,
  log,
  ratioOf,
  round,
  sleep,
  startChild,
} from './lib.js';

const hex = (n: number) => randomBytes(n).toString('hex');
const JOBS = 1000;
const MB = 1024 * 1024;
const REST_MS = 45_000;
const ROOT = fileURLToPath(new URL('../', import.meta.url));

const rssOf = (pid: number): number =>
  Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;

/** `bot_jobs{state="…"}` gauges from the bot's /metrics. */
async function jobCounts(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^bot_jobs\{state="(\w+)"\} (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

/** Heap figures from the default process metrics, for the log. */
async function processFigures(baseUrl: string): Promise<string> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const get = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return ['nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes']
    .map((n) => `${n.replace('nodejs_', '').replace('_bytes', '')} ${round(get(n) / MB, 1)} MB`)
    .join(', ');
}

export async function runMemory(): Promise<BenchResult[]> {
  ensureBuilt();
  const creds = benchSecrets('mem');
  const peers = startChild('peers', creds);
  const p = (await peers.ready) as { feishuUrl: string; jimengUrl: string };
  const bot = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-mem-')),
      LARK_APP_ID: creds.BENCH_APP_ID,
      LARK_APP_SECRET: creds.BENCH_APP_SECRET,
      LARK_ENCRYPT_KEY: creds.BENCH_ENCRYPT_KEY,
      LARK_VERIFICATION_TOKEN: creds.BENCH_TOKEN,
      LARK_DOMAIN: p.feishuUrl,
      VOLC_ACCESSKEY: creds.BENCH_AK,
      VOLC_SECRETKEY: creds.BENCH_SK,
      JIMENG_ENDPOINT: p.jimengUrl,
      // One user floods the bot: lift the product limits so every /video becomes a job.
      QUOTA_USER_DAILY: '100000000',
      QUOTA_CHAT_DAILY: '0',
      BUDGET_DAILY_YUAN: '0',
      QUOTA_MAX_IN_FLIGHT: '100000000',
      LOG_LEVEL: 'info',
    },
  });
  try {
    const baseUrl = await new Promise<string>((resolve, reject) => {
      let buf = '';
      bot.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /"url":"(http:[^"]+)"[^\n]*bot listening/.exec(buf);
        if (m) resolve(m[1]!.replace('0.0.0.0', '127.0.0.1'));
      });
      bot.once('exit', (code) => reject(new Error(`bot exited (${code}) before listening:\n${buf}`)));
    });
    bot.stdout!.resume();
    const url = `${baseUrl}/webhook/event`;
    await sleep(2_000);
    const idle = rssOf(bot.pid!);
    const sender = `ou_mem${hex(12)}`;
    const chatId = 'oc_mem_group';
    const ids = await peers.ask<string[]>({
      cmd: 'register',
      n: JOBS,
      chatId,
      sender,
      text: '/video 一只猫在屋顶上看日落，镜头缓慢推进',
    });
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(bot.pid!));
    }, 200);
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < ids.length) {
          const messageId = ids[next++]!;
          const event = buildMessageEvent({
            appId: creds.BENCH_APP_ID,
            token: creds.BENCH_TOKEN,
            messageId,
            chatId,
            chatType: 'group',
            senderOpenId: sender,
            msgType: 'text',
            content: { text: `/video 一只猫在屋顶上看日落，镜头缓慢推进 ${messageId}` },
          });
          const r = await postEvent(url, event, { encryptKey: creds.BENCH_ENCRYPT_KEY });
          if (r.status !== 200) throw new Error(`event answered ${r.status}`);
        }
      }),
    );
    clearInterval(sampler);
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    let counts = await jobCounts(baseUrl);
    const until = Date.now() + 120_000;
    while (total(counts) < JOBS && Date.now() < until) {
      await sleep(250);
      counts = await jobCounts(baseUrl);
    }
    // Acceptance cards go out at 15/s (Feishu's send limit), so the last of them leave a minute after the
    // burst; the fake Feishu holds the 1,000 user messages plus one card per job once they all have.
    const cardsUntil = Date.now() + 180_000;
    let messages = 0;
    while (Date.now() < cardsUntil) {
      messages = (await peers.ask<{ messages: number }>({ cmd: 'stats' })).messages;
      if (messages >= 2 * JOBS) break;
      await sleep(1_000);
      peak = Math.max(peak, rssOf(bot.pid!));
    }
    // V8 keeps the heap it grew during the burst until its memory reducer sees the process quiet (≈ 20–30 s);
    // what the bot holds with 1,000 jobs waiting is the RSS after that. The burst's peak is reported too.
    const restUntil = Date.now() + REST_MS;
    while (Date.now() < restUntil) {
      await sleep(1_000);
      peak = Math.max(peak, rssOf(bot.pid!));
    }
    const loaded = rssOf(bot.pid!);
    peak = Math.max(peak, loaded);
    const heap = await processFigures(baseUrl);
    log(
      `  memory: idle rss ${round(idle / MB, 1)} MB; with ${total(counts)} jobs (${counts.queued} queued, ` +
        `${counts.running ?? 0} running) rss ${round(loaded / MB, 1)} MB at rest, ${round(peak / MB, 1)} MB peak; ${heap}`,
    );
    return [
      {
        name: `memory: bot RSS with ${JOBS} queued jobs`,
        value: round(loaded / MB, 1),
        unit: 'MB',
        baselineName: 'same process idle',
        baseline: round(idle / MB, 1),
        ratio: ratioOf(loaded, idle),
        better: 'lower',
        target: '< 150 MB',
        pass: loaded < 150 * MB && total(counts) >= JOBS && messages >= 2 * JOBS,
        note: `node dist/main.js, ${REST_MS / 1000} s after the last acceptance card; ${counts.queued} queued + ${total(counts) - (counts.queued ?? 0)} at Jimeng; no forced GC`,
      },
      {
        name: `memory: bot peak RSS while ${JOBS} /video arrive`,
        value: round(peak / MB, 1),
        unit: 'MB',
        baselineName: 'same process idle',
        baseline: round(idle / MB, 1),
        ratio: ratioOf(peak, idle),
        better: 'lower',
        note: '20 concurrent senders, then 1,000 cards sent; burst garbage before V8 shrinks the heap',
      },
    ];
  } finally {
    if (bot.exitCode === null) {
      const exited = new Promise((r) => bot.once('exit', r));
      bot.kill('SIGKILL');
      await exited;
    }
    await peers.kill();
  }
}
