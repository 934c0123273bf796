/**
 * Store: the cost of persisting one job change (`transition`, one at a time: the worst case, no group
 * commit to share the write and its sync) with 1k, 10k and 100k jobs of history, and the hot file's size.
 * History is a steady 200 jobs/day (a busy team bot: 40 users × 5 videos), so 100k jobs is ~500 days; the
 * ledger keeps 35 days and finished jobs beyond the retention window move to jobs-archive.jsonl. In the
 * same run: the same store without syncing (what the durability costs), and the naive baseline: all the
 * data in one lowdb file with the whole history retained and rewritten on every change.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { dayOf } from '../src/bot/day-of.js';
import { emptyData, type StoreData } from '../src/store/engine/state.js';
import { FileStore } from '../src/store/file/file-store.js';
import type { Job } from '../src/store/records.js';
import { type BenchResult, percentile, ratioOf, round } from './lib.js';

const PER_DAY = 200;
const DAY = 86_400_000;
const TZ = 'Asia/Shanghai';

function historyJob(i: number, at: number, state: Job['state']): Job {
  const id = `J${i.toString(36).toUpperCase().padStart(4, '0')}`;
  const messageId = `om_${i.toString(16).padStart(32, '0')}`;
  return {
    id,
    sourceId: messageId,
    messageId,
    chatId: `oc_chat${i % 7}`,
    chatType: 'group',
    userOpenId: `ou_user${(i % 40).toString().padStart(28, '0')}`,
    prompt: `一只猫在屋顶上看日落，镜头缓慢推进，电影感，第 ${i} 条`,
    tier: '720p',
    reqKey: 'jimeng_t2v_v30',
    duration: 5,
    ratio: '16:9',
    seed: i,
    state,
    day: dayOf(at, TZ),
    costYuan: 3,
    charge: state === 'delivered' ? 'consumed' : 'reserved',
    busyRetries: 0,
    polls: 3,
    card: { version: 3, sent: 3, messageId: `om_card${i.toString(16).padStart(28, '0')}` },
    createdAt: at,
    updatedAt: at,
    ...(state === 'delivered'
      ? {
          taskId: `${7_392_616_336_519_610_409n + BigInt(i)}`,
          fileKey: `file_v3_${i.toString(16).padStart(24, '0')}`,
          videoUrl: `https://example.invalid/videos/${i}.mp4?X-Expires=3600`,
          submittedAt: at + 2000,
          doneAt: at + 62_000,
          answeredAt: at + 64_000,
        }
      : { taskId: `${8_000_000_000_000_000_000n + BigInt(i)}`, submittedAt: at }),
  };
}

/** n jobs of history ending now plus 2 running ones, with their ledger, usage and dedup entries. */
function history(n: number, now: number): { data: StoreData; live: string[] } {
  const data = emptyData();
  const step = DAY / PER_DAY;
  const add = (job: Job, outcome: 'delivered' | 'charged') => {
    data.jobs.push(job);
    data.ledger.push({
      jobId: job.id,
      user: job.userOpenId,
      chat: job.chatId,
      model: job.reqKey,
      seconds: 5,
      yuan: 3,
      outcome,
      at: job.updatedAt,
    });
    data.usage[job.day] ??= { users: {}, chats: {}, yuan: 0 };
    const u = data.usage[job.day]!;
    u.users[job.userOpenId] = (u.users[job.userOpenId] ?? 0) + 1;
    u.chats[job.chatId] = (u.chats[job.chatId] ?? 0) + 1;
    u.yuan += 3;
    if (now - job.createdAt < DAY) data.seen[job.messageId] = job.createdAt;
  };
  for (let i = 0; i < n; i++) add(historyJob(i + 1, now - (n - i) * step, 'delivered'), 'delivered');
  const live = [historyJob(n + 1, now, 'running'), historyJob(n + 2, now, 'running')];
  for (const j of live) add(j, 'charged');
  data.seq = n + 2;
  return { data, live: live.map((j) => j.id) };
}

async function changeCost(change: (i: number) => Promise<void>, count: number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await change(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { mean: times.reduce((a, b) => a + b, 0) / times.length, p99: percentile(times, 99) };
}

async function ours(n: number, now: number, syncCommits: boolean, count: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const { data, live } = history(n, now);
  writeFileSync(join(dir, 'state.json'), JSON.stringify(data));
  const store = await FileStore.open({ dir, syncCommits });
  const t0 = performance.now();
  // The first commit runs retention: history beyond the window moves to the archive.
  await store.transition(live[0]!, { from: ['running'], set: { polls: 4 } }, now);
  const firstMs = performance.now() - t0;
  const cost = await changeCost(async (i) => {
    const at = Date.now();
    await store.transition(live[i % 2]!, { from: ['running'], set: { polls: i, nextPollAt: at + 5000 } }, at);
  }, count);
  let archive = 0;
  try {
    archive = statSync(join(dir, 'jobs-archive.jsonl')).size;
  } catch {}
  const kept = (await store.jobCounts()).delivered + 2;
  const snapshots = store.snapshots;
  await store.close();
  const hot = statSync(join(dir, 'state.json')).size;
  await rm(dir, { recursive: true, force: true });
  return { ...cost, firstMs, archive, hot, kept, snapshots };
}

async function naive(n: number, now: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-naive-'));
  const db = new Low<StoreData>(
    new DataFile<StoreData>(join(dir, 'state.json'), {
      parse: JSON.parse,
      stringify: (d) => JSON.stringify(d),
    }),
    emptyData(),
  );
  const { data, live } = history(n, now);
  db.data = data;
  await db.write();
  const jobs = live.map((id) => data.jobs.find((j) => j.id === id)!);
  const cost = await changeCost(
    async (i) => {
      Object.assign(jobs[i % 2]!, { polls: i, nextPollAt: Date.now() + 5000, updatedAt: Date.now() });
      await db.write();
    },
    n >= 100_000 ? 20 : 100,
  );
  const size = statSync(join(dir, 'state.json')).size;
  await rm(dir, { recursive: true, force: true });
  return { ...cost, size };
}

export async function runStore(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const per: number[] = [];
  for (const n of [1_000, 10_000, 100_000]) {
    const now = Date.now();
    const synced = await ours(n, now, true, 20_000);
    const unsynced = await ours(n, now, false, 20_000);
    const base = await naive(n, now);
    per.push(synced.mean);
    const label = `${n / 1000}k`;
    process.stderr.write(
      `  store ${label}: ${round(synced.mean, 3)} ms/change synced (p99 ${round(synced.p99, 2)}), ${round(unsynced.mean, 3)} unsynced; ` +
        `hot file ${synced.hot} B, ${synced.kept} jobs kept, archive ${synced.archive} B, first commit ${Math.round(synced.firstMs)} ms, ` +
        `${synced.snapshots} snapshots; naive ${round(base.mean, 2)} ms/change, ${base.size} B\n`,
    );
    results.push(
      {
        name: `store: one job change, synced to disk, ${label} jobs of history (mean)`,
        value: round(synced.mean, 3),
        unit: 'ms',
        baselineName: 'whole history in one lowdb file',
        baseline: round(base.mean, 2),
        ratio: ratioOf(synced.mean, base.mean),
        better: 'lower',
        ...(n === 100_000 ? { target: '< 5 ms', pass: synced.mean < 5 } : {}),
        note: `p99 ${round(synced.p99, 2)} ms; one transition at a time (no group commit to share the fdatasync); ${synced.snapshots} snapshots`,
      },
      {
        name: `store: what durability costs per change, ${label} jobs (fdatasync vs none)`,
        value: round(synced.mean, 3),
        unit: 'ms',
        baselineName: 'same store, commits not synced',
        baseline: round(unsynced.mean, 3),
        ratio: ratioOf(synced.mean, unsynced.mean),
        better: 'lower',
      },
      {
        name: `store: hot state.json size, ${label} jobs of history`,
        value: round(synced.hot / 1024, 1),
        unit: 'KiB',
        baselineName: 'whole history',
        baseline: round(base.size / 1024, 1),
        ratio: ratioOf(synced.hot, base.size),
        better: 'lower',
        note: `${synced.kept} jobs in the hot file; archive ${round(synced.archive / 1024, 0)} KiB`,
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
