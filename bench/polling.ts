/**
 * Polling economy, in real time (no scaling): the Jimeng simulator limited to 1 request/s per account, 20
 * /video jobs arriving at once (20 users), 60 s of generation each, the bot allowed 20 tasks at Jimeng. Measured
 * through the whole sandbox (real app, fake Feishu): get-result calls per job, 50429 answers, and the delay
 * from the moment a task is done at the simulator to the moment its video message is in the Feishu thread.
 * Baseline in the same run, on a second simulator with the same limits: the naive client (submit all at once,
 * then one timer per task polling every 5 s, retrying 50429 after 1 s) and the delay until it *sees* done.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { sign } from '../src/jimeng/sign.js';
import {
  API_VERSION,
  GET_RESULT_ACTION,
  type JimengSimulator,
  SUBMIT_ACTION,
  startJimengSimulator,
} from '../src/sandbox/jimeng-simulator.js';
import { startSandbox } from '../src/sandbox/start-sandbox.js';
import { type BenchResult, log, median, ratioOf, round, sleep } from './lib.js';

const JOBS = 20;
const GENERATION_MS = Number(process.env.BENCH_GENERATION_MS ?? 60_000);
const NAIVE_POLL_MS = 5_000;

function callsPerJob(sim: JimengSimulator): number {
  return sim.calls.filter((c) => c.action === GET_RESULT_ACTION).length / JOBS;
}

function doneAt(sim: JimengSimulator, taskId: string): number {
  const t = sim.tasks.get(taskId)!;
  return t.createdAt + t.generationMs;
}

async function runBot() {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-poll-')),
    JIMENG_QPS: '1',
    JIMENG_MAX_CONCURRENT: String(JOBS),
    BUDGET_DAILY_YUAN: '0',
    LOG_LEVEL: 'silent',
  });
  const sb = await startSandbox({ config, port: 0, generationMs: GENERATION_MS, simulator: { qps: 1 } });
  const answered = new Map<string, number>();
  const ids = new Set<string>();
  sb.feishu.on('message', (m) => {
    if (m.senderType === 'app' && m.parentId && ids.has(m.parentId) && m.msgType !== 'interactive')
      if (!answered.has(m.parentId)) answered.set(m.parentId, Date.now());
  });
  const sent = await Promise.all(
    Array.from({ length: JOBS }, (_, i) =>
      sb.send({
        senderOpenId: `ou_pollbench${String(i).padStart(24, '0')}`,
        text: `/video 第 ${i} 个镜头：海浪拍打礁石，慢动作`,
      }),
    ),
  );
  for (const s of sent) ids.add(s.messageId);
  const until = Date.now() + GENERATION_MS * 2 + 60_000;
  while (answered.size < JOBS && Date.now() < until) await sleep(100);
  const delays: number[] = [];
  let media = 0;
  for (const job of await sb.app.store.jobsIn([
    'queued',
    'submitting',
    'running',
    'delivered',
    'failed',
    'cancelled',
  ])) {
    const at = answered.get(job.messageId);
    if (job.taskId && at) delays.push(at - doneAt(sb.jimeng, job.taskId));
    if (job.state === 'delivered' && job.fileKey) media++;
  }
  const out = {
    callsPerJob: callsPerJob(sb.jimeng),
    qpsLimited: sb.jimeng.stats.qpsLimited,
    medianDelayMs: median(delays),
    maxDelayMs: Math.max(...delays),
    answered: answered.size,
    media,
    submits: sb.jimeng.stats.submits,
  };
  await sb.close();
  return out;
}

async function runNaive() {
  const ak = 'AKNAIVEBENCH0001';
  const sk = 'naive-bench-secret-key-0001';
  const sim = await startJimengSimulator({
    accessKeyId: ak,
    secretAccessKey: sk,
    generationMs: GENERATION_MS,
    qps: 1,
  });
  const host = new URL(sim.url).host;
  const call = async (action: string, body: object) => {
    const text = JSON.stringify(body);
    const query = { Action: action, Version: API_VERSION };
    const { Host: _h, ...headers } = sign({
      method: 'POST',
      host,
      query,
      body: text,
      accessKeyId: ak,
      secretAccessKey: sk,
    });
    const res = await fetch(`${sim.url}/?Action=${action}&Version=${API_VERSION}`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: text,
    });
    return (await res.json()) as { code: number; data?: { task_id?: string; status?: string } };
  };
  const seen: number[] = [];
  await Promise.all(
    Array.from({ length: JOBS }, async (_, i) => {
      let taskId: string | undefined;
      while (!taskId) {
        const r = await call(SUBMIT_ACTION, {
          req_key: 'jimeng_t2v_v30',
          prompt: `naive ${i}`,
          seed: -1,
          frames: 121,
          aspect_ratio: '16:9',
        });
        if (r.code === 10000) taskId = r.data?.task_id;
        else await sleep(1000);
      }
      for (;;) {
        await sleep(NAIVE_POLL_MS);
        const r = await call(GET_RESULT_ACTION, { req_key: 'jimeng_t2v_v30', task_id: taskId });
        if (r.code === 10000 && r.data?.status === 'done') {
          seen.push(Date.now() - doneAt(sim, taskId));
          return;
        }
      }
    }),
  );
  const out = {
    callsPerJob: callsPerJob(sim),
    qpsLimited: sim.stats.qpsLimited,
    medianDelayMs: median(seen),
  };
  await sim.close();
  return out;
}

export async function runPolling(): Promise<BenchResult[]> {
  const [bot, naive] = await Promise.all([runBot(), runNaive()]);
  log(
    `  polling: bot answered ${bot.answered}/${JOBS} (${bot.media} as media), ${bot.submits} submits, ` +
      `${round(bot.callsPerJob, 2)} get-result/job, ${bot.qpsLimited}×50429, median delay ${Math.round(bot.medianDelayMs)} ms ` +
      `(max ${Math.round(bot.maxDelayMs)}); naive ${round(naive.callsPerJob, 2)}/job, ${naive.qpsLimited}×50429, ` +
      `median ${Math.round(naive.medianDelayMs)} ms`,
  );
  const note = `real time: ${JOBS} jobs at once, ${GENERATION_MS / 1000} s generation, simulator 1 req/s`;
  return [
    {
      name: 'polling: get-result calls per job',
      value: round(bot.callsPerJob, 2),
      unit: 'calls',
      baselineName: `naive ${NAIVE_POLL_MS / 1000} s timer per task`,
      baseline: round(naive.callsPerJob, 2),
      ratio: ratioOf(bot.callsPerJob, naive.callsPerJob),
      better: 'lower',
      target: '≤ 15',
      pass: bot.callsPerJob <= 15 && bot.answered === JOBS,
      note,
    },
    {
      name: 'polling: 50429 answers received',
      value: bot.qpsLimited,
      unit: 'count',
      baselineName: 'naive',
      baseline: naive.qpsLimited,
      ratio: ratioOf(bot.qpsLimited, naive.qpsLimited),
      better: 'lower',
      target: '0',
      pass: bot.qpsLimited === 0,
    },
    {
      name: 'polling: median delay task done → video answered in Feishu',
      value: round(bot.medianDelayMs / 1000, 2),
      unit: 's',
      baselineName: 'naive (done → seen, no delivery)',
      baseline: round(naive.medianDelayMs / 1000, 2),
      ratio: ratioOf(bot.medianDelayMs, naive.medianDelayMs),
      better: 'lower',
      target: '≤ 3 s',
      pass: bot.medianDelayMs <= 3000 && bot.answered === JOBS,
      note: `${bot.answered}/${JOBS} answered; max ${round(bot.maxDelayMs / 1000, 2)} s`,
    },
  ];
}
