/**
 * The account pool: 20 /video jobs arriving at once (20 users) through the whole sandbox (real app, fake
 * Feishu, Jimeng simulator), with 1, 2 and 4 accounts of concurrency 2 each. Every account is limited at the
 * simulator to 1 request/s and 2 unfinished tasks, and the bot is told the same (qps 1, maxConcurrent 2 per
 * account). Measured: wall time from the first message to the last video in its Feishu thread, and the
 * 50429 / 50430 answers. Target: the wall time falls in proportion to the accounts (≥ 1.8× with two,
 * ≥ 3.5× with four), no 50429.
 *
 * Time is scaled: 6 s of generation instead of 60 s (BENCH_ACCOUNTS_GENERATION_MS=60000 for real time,
 * about 20 minutes). The QPS is not scaled, so the scaled run is more bound by calls per second than a
 * real one would be (each job still needs a submit and its polls through its account's 1 request/s).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startSandbox } from '../src/sandbox/start-sandbox.js';
import { type BenchResult, log, round, sleep } from './lib.js';

const JOBS = 20;
const GENERATION_MS = Number(process.env.BENCH_ACCOUNTS_GENERATION_MS ?? 6_000);
const PER_ACCOUNT = 2;
const POOLS = [1, 2, 4];

interface Run {
  accounts: number;
  wallMs: number;
  delivered: number;
  qpsLimited: number;
  concurrencyLimited: number;
  submits: number;
  polls: number;
  /** Tasks made by each account. */
  tasksByAccount: number[];
  /** Most tasks unfinished at once at the simulator (sampled). */
  peakAtJimeng: number;
}

async function runPool(accounts: number): Promise<Run> {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-accounts-')),
    JIMENG_QPS: '1',
    JIMENG_MAX_CONCURRENT: String(PER_ACCOUNT),
    BUDGET_DAILY_YUAN: '0',
    LOG_LEVEL: 'silent',
  });
  const sb = await startSandbox({
    config,
    port: 0,
    generationMs: GENERATION_MS,
    accounts: Array.from({ length: accounts }, () => ({
      qps: 1,
      maxConcurrent: PER_ACCOUNT,
      sim: { qps: 1, maxConcurrentTasks: PER_ACCOUNT },
    })),
  });
  const ids = new Set<string>();
  const answered = new Map<string, number>();
  sb.feishu.on('message', (m) => {
    if (m.senderType === 'app' && m.parentId && ids.has(m.parentId) && m.msgType === 'media')
      if (!answered.has(m.parentId)) answered.set(m.parentId, Date.now());
  });
  let peak = 0;
  const sampler = setInterval(() => {
    let n = 0;
    for (const t of sb.jimeng.tasks.values()) if (sb.jimeng.statusOf(t.id) !== 'done') n++;
    peak = Math.max(peak, n);
  }, 100);
  const started = Date.now();
  const sent = await Promise.all(
    Array.from({ length: JOBS }, (_, i) =>
      sb.send({
        senderOpenId: `ou_accbench${String(i).padStart(24, '0')}`,
        text: `/video 第 ${i} 个镜头：雨夜的霓虹街道`,
      }),
    ),
  );
  for (const s of sent) ids.add(s.messageId);
  const until = started + (GENERATION_MS * JOBS) / PER_ACCOUNT + 300_000;
  while (answered.size < JOBS && Date.now() < until) await sleep(50);
  clearInterval(sampler);
  const last = Math.max(...answered.values());
  const keys = sb.accounts.map((a) => a.accessKeyId);
  const tasksByAccount = keys.map(
    (k) => [...sb.jimeng.tasks.values()].filter((t) => t.accessKeyId === k).length,
  );
  const out: Run = {
    accounts,
    wallMs: answered.size === JOBS ? last - started : Number.NaN,
    delivered: answered.size,
    qpsLimited: sb.jimeng.stats.qpsLimited,
    concurrencyLimited: sb.jimeng.stats.concurrencyLimited,
    submits: sb.jimeng.stats.submits,
    polls: sb.jimeng.stats.polls,
    tasksByAccount,
    peakAtJimeng: peak,
  };
  await sb.close();
  return out;
}

export async function runAccounts(): Promise<BenchResult[]> {
  const runs: Run[] = [];
  for (const n of POOLS) {
    const r = await runPool(n);
    runs.push(r);
    log(
      `  accounts ×${n}: last video after ${round(r.wallMs / 1000, 1)} s (${r.delivered}/${JOBS}), ` +
        `${r.qpsLimited}×50429, ${r.concurrencyLimited}×50430, ${r.submits} submits, ${r.polls} polls, ` +
        `tasks per account ${r.tasksByAccount.join('/')}, at most ${r.peakAtJimeng} at Jimeng at once`,
    );
  }
  const one = runs[0]!;
  const note = `${JOBS} jobs at once, ${GENERATION_MS / 1000} s generation (scaled from 60 s), ${PER_ACCOUNT} tasks and 1 req/s per account`;
  const results: BenchResult[] = runs.map((r) => {
    const speedup = one.wallMs / r.wallMs;
    const need = r.accounts === 2 ? 1.8 : r.accounts === 4 ? 3.5 : undefined;
    return {
      name: `accounts: wall time to the last video, ${r.accounts} account${r.accounts > 1 ? 's' : ''}`,
      value: round(r.wallMs / 1000, 1),
      unit: 's',
      ...(r.accounts > 1
        ? {
            baselineName: '1 account',
            baseline: round(one.wallMs / 1000, 1),
            ratio: Number((r.wallMs / one.wallMs).toPrecision(3)),
            better: 'lower' as const,
            target: `≥ ${need}× faster`,
            pass: r.delivered === JOBS && speedup >= need!,
          }
        : { pass: r.delivered === JOBS }),
      note: `${r.accounts > 1 ? `${round(speedup, 2)}× faster; ` : ''}${r.delivered}/${JOBS} delivered; tasks per account ${r.tasksByAccount.join('/')}; peak ${r.peakAtJimeng} at Jimeng; ${note}`,
    };
  });
  results.push(
    {
      name: 'accounts: 50429 answers (1 / 2 / 4 accounts)',
      value: runs.reduce((n, r) => n + r.qpsLimited, 0),
      unit: 'count',
      target: '0',
      pass: runs.every((r) => r.qpsLimited === 0),
      note: runs.map((r) => r.qpsLimited).join(' / '),
    },
    {
      name: 'accounts: 50430 answers (1 / 2 / 4 accounts)',
      value: runs.reduce((n, r) => n + r.concurrencyLimited, 0),
      unit: 'count',
      note: runs.map((r) => r.concurrencyLimited).join(' / '),
    },
  );
  return results;
}
