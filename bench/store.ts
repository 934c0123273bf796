/**
 * Store: the cost of persisting one job state change (mutate + `await commit()`, one at a time: the worst
 * case, no group commit to share the write) with 1k, 10k and 100k jobs of history, and the hot file's size.
 * History is made by the real quota functions at a steady 200 jobs/day (a busy team bot: 40 users × 5
 * videos), so 100k jobs is ~500 days; the ledger keeps 35 days and finished jobs beyond the retention
 * window move to jobs-archive.jsonl. Baseline in the same run: the same data in one lowdb file with the
 * whole history retained and rewritten on every change (what the design warns about).
 */
import { mkdtempSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { dayOf } from '../src/bot/day-of.js';
import { consume, markDelivered, reserve } from '../src/bot/quota.js';
import type { Job, StoreData } from '../src/store/schema.js';
import { Store } from '../src/store/store.js';
import { type BenchResult, percentile, ratioOf, round } from './lib.js';

const PER_DAY = 200;
const DAY = 86_400_000;
const TZ = 'Asia/Shanghai';

function historyJob(i: number, at: number, state: Job['state']): Job {
  return {
    id: `J${i.toString(36).toUpperCase().padStart(4, '0')}`,
    messageId: `om_${i.toString(16).padStart(32, '0')}`,
    chatId: `oc_chat${i % 7}`,
    chatType: 'group',
    userOpenId: `ou_user${(i % 40).toString().padStart(28, '0')}`,
    prompt: `一只猫在屋顶上看日落，镜头缓慢推进，电影感，第 ${i} 条`,
    tier: '720p',
    reqKey: 'jimeng_t2v_v30',
    duration: 5,
    ratio: '16:9',
    state,
    day: dayOf(at, TZ),
    costYuan: 1.4,
    charge: 'reserved',
    busyRetries: 0,
    polls: 3,
    createdAt: at,
    updatedAt: at,
    ...(state === 'delivered'
      ? {
          taskId: `${7_392_616_336_519_610_409n + BigInt(i)}`,
          cardMessageId: `om_card${i.toString(16).padStart(28, '0')}`,
          fileKey: `file_v3_${i.toString(16).padStart(24, '0')}`,
          videoUrl: `https://example.invalid/videos/${i}.mp4?X-Expires=3600`,
          submittedAt: at + 2000,
          doneAt: at + 62_000,
          answeredAt: at + 64_000,
        }
      : {}),
  };
}

/** Fills `data` with n jobs of history ending now, plus 2 live jobs; returns the live ones. */
function fill(data: StoreData, n: number, now: number): Job[] {
  const step = DAY / PER_DAY;
  for (let i = 0; i < n; i++) {
    const at = now - (n - i) * step;
    const job = historyJob(i + 1, at, 'delivered');
    job.charge = 'reserved';
    data.jobs.push(job);
    reserve(data, job, at);
    consume(data, job, at + 2000);
    markDelivered(data, job, at + 64_000);
    if (now - at < DAY) data.seen[job.messageId] = at;
  }
  const live: Job[] = [];
  for (let k = 0; k < 2; k++) {
    const job = historyJob(n + 1 + k, now, 'running');
    data.jobs.push(job);
    reserve(data, job, now);
    live.push(job);
  }
  data.seq = n + 2;
  return live;
}

async function changeCost(change: (i: number) => Promise<void>, count: number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await change(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { mean, p99: percentile(times, 99) };
}

async function measure(n: number) {
  const now = Date.now();
  // ours
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const store = await Store.open({ dir });
  const live = fill(store.data, n, now);
  // Store.open indexed nothing (empty file); register jobs through addJob so the id index is right.
  const jobs = store.data.jobs;
  store.data.jobs = [];
  for (const j of jobs) store.addJob(j);
  const t0 = performance.now();
  await store.commit(); // first commit: prunes and archives the history beyond the retention window
  const firstMs = performance.now() - t0;
  const snapshotsBefore = store.snapshots;
  // Enough changes for the journal to outgrow the snapshot at least once, so the mean includes the
  // snapshot rewrites (compaction) amortised over the changes they cover.
  const count = 40_000;
  const ours = await changeCost(async (i) => {
    const job = live[i % 2]!;
    store.update(job, { polls: job.polls + 1, nextPollAt: Date.now() + 5000 });
    await store.commit();
  }, count);
  const snapshots = store.snapshots - snapshotsBefore;
  const hot = statSync(join(dir, 'state.json')).size;
  let archive = 0;
  try {
    archive = statSync(join(dir, 'jobs-archive.jsonl')).size;
  } catch {}
  await store.close();
  await rm(dir, { recursive: true, force: true });

  // baseline: everything in one lowdb file, rewritten on every change
  const bdir = mkdtempSync(join(tmpdir(), 'bench-store-naive-'));
  const { emptyData } = await import('../src/store/schema.js');
  const db = new Low<StoreData>(
    new DataFile<StoreData>(join(bdir, 'state.json'), {
      parse: JSON.parse,
      stringify: (d) => JSON.stringify(d),
    }),
    emptyData(),
  );
  const blive = fill(db.data, n, now);
  await db.write();
  const naive = await changeCost(
    async (i) => {
      const job = blive[i % 2]!;
      Object.assign(job, { polls: job.polls + 1, nextPollAt: Date.now() + 5000, updatedAt: Date.now() });
      await db.write();
    },
    n >= 100_000 ? 20 : 100,
  );
  const naiveSize = statSync(join(bdir, 'state.json')).size;
  await rm(bdir, { recursive: true, force: true });
  return { ours, naive, hot, archive, naiveSize, firstMs, snapshots, kept: store.data.jobs.length };
}

export async function runStore(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const per: number[] = [];
  for (const n of [1_000, 10_000, 100_000]) {
    const m = await measure(n);
    per.push(m.ours.mean);
    const label = n >= 1000 ? `${n / 1000}k` : String(n);
    process.stderr.write(
      `  store ${label}: ${round(m.ours.mean, 2)} ms/change (p99 ${round(m.ours.p99, 2)}), hot file ${m.hot} B, ` +
        `${m.kept} jobs kept, archive ${m.archive} B, first commit (archiving) ${Math.round(m.firstMs)} ms; ` +
        `${m.snapshots} snapshots; naive ${round(m.naive.mean, 2)} ms/change, ${m.naiveSize} B\n`,
    );
    results.push(
      {
        name: `store: one job state change, ${label} jobs of history (mean)`,
        value: round(m.ours.mean, 2),
        unit: 'ms',
        baselineName: 'whole history in one lowdb file',
        baseline: round(m.naive.mean, 2),
        ratio: ratioOf(m.ours.mean, m.naive.mean),
        better: 'lower',
        ...(n === 100_000 ? { target: '< 5 ms', pass: m.ours.mean < 5 } : {}),
        note: `p99 ${round(m.ours.p99, 2)} ms (max includes a snapshot); sequential await commit(), no sharing; ${m.snapshots} snapshots in 40,000 changes`,
      },
      {
        name: `store: hot state.json size, ${label} jobs of history`,
        value: round(m.hot / 1024, 1),
        unit: 'KiB',
        baselineName: 'whole history',
        baseline: round(m.naiveSize / 1024, 1),
        ratio: ratioOf(m.hot, m.naiveSize),
        better: 'lower',
        note: `${m.kept} jobs in the hot file; archive ${round(m.archive / 1024, 0)} KiB`,
      },
    );
  }
  const growth = per[2]! / per[0]!;
  results.push({
    name: 'store: per-change cost growth from 1k to 100k jobs (100× history)',
    value: round(growth, 2),
    unit: '×',
    better: 'lower',
    target: 'sub-linear (≪ 100×)',
    pass: growth < 10,
  });
  return results;
}
