/**
 * Polling economy, in real time, through the whole sandbox (real app, fake Feishu, Jimeng simulator limited
 * to 1 request/s per account): 20 /video jobs arriving at once (20 users), the bot allowed 20 tasks at
 * Jimeng and always started with a 60 s prior (`jimeng.expectedGenerationSeconds`), a fresh bot per case:
 *
 * - three generation times: 60 s (the prior is right), 5 s and 180 s (the prior is 12× too long / 3× too
 *   short): get-result calls per job, 50429 answers, and the delay from the moment a task is done at the
 *   simulator to the moment its video message is in the Feishu thread;
 * - early failures: in a 60 s run of 20 jobs, the 1st, 10th and 20th task fail 2 s, 5 s and 8 s after
 *   their submit (the simulator's `failNextTaskAfter`); the delay from the failure to the failed (red)
 *   card in Feishu.
 *
 * Baseline in the same run, on simulators of their own with the same limits: the naive client (submit all
 * at once, then one timer per task polling every 5 s, retrying 50429 after 1 s) and the delay until it
 * *sees* done. Every case runs at the same time (each against its own simulator and budget), so the run
 * takes as long as the 180 s case (~4 min).
 *
 * `BENCH_POLL_SCALE=0.1` shrinks every duration (generation times, prior, failure times, the bot's shortest
 * poll wait, the naive timer) and raises the QPS by the same factor, for a quick check of the harness. The
 * schedule's fixed steps (the 3 s early look, 4 s near the end…) do not scale, so scaled figures are not
 * the real ones: their rows say so and no target is judged.
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
import { type Sandbox, startSandbox } from '../src/sandbox/start-sandbox.js';
import { type BenchResult, log, median, ratioOf, round, sleep } from './lib.js';

const JOBS = 20;
const SCALE = Number(process.env.BENCH_POLL_SCALE ?? 1);
if (!(SCALE > 0 && SCALE <= 1)) throw new RangeError(`BENCH_POLL_SCALE must be in (0, 1], got ${SCALE}`);
const scaled = SCALE !== 1;
const ms = (n: number) => Math.round(n * SCALE);
const QPS = 1 / SCALE;
const PRIOR_MS = ms(60_000);
const NAIVE_POLL_MS = ms(5_000);
const MIN_POLL_MS = ms(2_000);

/** Generation times, each against the bot's 60 s prior. */
const CASES = [60_000, 5_000, 180_000].map((g) => ({ label: `${g / 1000} s`, generationMs: ms(g) }));
/** Early failures: which task (1-based, in submit order) fails how long after its submit. */
const EARLY = [
  { nth: 1, afterMs: ms(2_000) },
  { nth: 10, afterMs: ms(5_000) },
  { nth: 20, afterMs: ms(8_000) },
];

const TARGET = { callsPerJob: 15, qpsLimited: 0, medianDelayMs: 3_000, earlyMs: 10_000 };

const getResults = (sim: JimengSimulator) => sim.calls.filter((c) => c.action === GET_RESULT_ACTION).length;

/** When the simulator had the task finished (a video, or an early failure). */
function doneAt(sim: JimengSimulator, taskId: string): number {
  const t = sim.tasks.get(taskId)!;
  return t.createdAt + (t.failAfterMs ?? t.generationMs);
}

async function sandbox(generationMs: number): Promise<Sandbox> {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-poll-')),
    JIMENG_QPS: String(QPS),
    JIMENG_MAX_CONCURRENT: String(JOBS),
    BUDGET_DAILY_YUAN: '0',
    LOG_LEVEL: 'silent',
  });
  // The bot's prior comes from the sandbox's generationMs; the simulator's real one from `simulator`.
  return startSandbox({
    config,
    port: 0,
    accounts: 1, // one account: 1 QPS is the whole budget
    generationMs: PRIOR_MS,
    simulator: { qps: QPS, generationMs },
    ...(scaled ? { minPollMs: MIN_POLL_MS } : {}),
  });
}

async function sendJobs(sb: Sandbox): Promise<Set<string>> {
  const sent = await Promise.all(
    Array.from({ length: JOBS }, (_, i) =>
      sb.send({
        senderOpenId: `ou_pollbench${String(i).padStart(24, '0')}`,
        text: `/video 第 ${i} 个镜头：海浪拍打礁石，慢动作`,
      }),
    ),
  );
  return new Set(sent.map((s) => s.messageId));
}

interface BotFigures {
  callsPerJob: number;
  qpsLimited: number;
  medianDelayMs: number;
  maxDelayMs: number;
  answered: number;
  media: number;
  submits: number;
  /** From the first submit to the last video in Feishu. */
  spanMs: number;
}

async function runBot(generationMs: number): Promise<BotFigures> {
  const sb = await sandbox(generationMs);
  const answered = new Map<string, number>();
  let ids = new Set<string>();
  sb.feishu.on('message', (m) => {
    if (m.senderType === 'app' && m.parentId && ids.has(m.parentId) && m.msgType !== 'interactive')
      if (!answered.has(m.parentId)) answered.set(m.parentId, Date.now());
  });
  const started = Date.now();
  ids = await sendJobs(sb);
  const until = Date.now() + generationMs * 2 + ms(90_000);
  while (answered.size < JOBS && Date.now() < until) await sleep(100);
  const delays: number[] = [];
  let media = 0;
  let firstSubmit = Number.POSITIVE_INFINITY;
  for (const job of await sb.app.store.jobsIn([
    'queued',
    'submitting',
    'running',
    'delivered',
    'failed',
    'cancelled',
  ])) {
    const at = answered.get(job.messageId);
    if (job.submittedAt) firstSubmit = Math.min(firstSubmit, job.submittedAt);
    if (job.taskId && at) delays.push(at - doneAt(sb.jimeng, job.taskId));
    if (job.state === 'delivered' && job.fileKey) media++;
  }
  const out = {
    callsPerJob: getResults(sb.jimeng) / JOBS,
    qpsLimited: sb.jimeng.stats.qpsLimited,
    medianDelayMs: median(delays),
    maxDelayMs: Math.max(...delays),
    answered: answered.size,
    media,
    submits: sb.jimeng.stats.submits,
    spanMs: Math.max(...answered.values()) - Math.min(firstSubmit, started),
  };
  await sb.close();
  return out;
}

interface EarlyFigures {
  /** Failure (at the simulator) → red card in Feishu, per failing task, in `EARLY` order. */
  delaysMs: number[];
  /** Tasks that failed early at the simulator (should be EARLY.length; checked, not assumed). */
  failed: number;
  qpsLimited: number;
}

async function runEarly(): Promise<EarlyFigures> {
  const sb = await sandbox(ms(60_000));
  const sim = sb.jimeng;
  // Arm each early failure just before its task is created: the simulator gives an armed failure to the
  // next task it creates, and the bot's submits are at least 1/QPS apart.
  const pending = [...EARLY];
  const arm = () => {
    while (pending[0] && sim.tasks.size === pending[0].nth - 1) {
      sim.failNextTaskAfter(pending.shift()!.afterMs, { code: 50500 });
    }
  };
  arm();
  const armer = setInterval(arm, 5);
  const redAt = new Map<string, number>();
  const isRed = (content: string) => {
    try {
      return (JSON.parse(content) as { header?: { template?: string } }).header?.template === 'red';
    } catch {
      return false;
    }
  };
  const cardOf = new Map<string, string>(); // card message id → the command it answers
  sb.feishu.on('message', (m) => {
    if (m.senderType !== 'app' || m.msgType !== 'interactive' || !m.parentId) return;
    cardOf.set(m.messageId, m.parentId);
    if (isRed(m.content) && !redAt.has(m.parentId)) redAt.set(m.parentId, Date.now());
  });
  sb.feishu.on('patch', (p) => {
    const parent = cardOf.get(p.messageId) ?? p.message.parentId;
    if (parent && isRed(p.content) && !redAt.has(parent)) redAt.set(parent, Date.now());
  });
  await sendJobs(sb);
  const until = Date.now() + ms(120_000);
  const failing = () => [...sim.tasks.values()].filter((t) => t.failAfterMs !== undefined);
  // Until every armed failure has its task (the last is armed before its task exists) and is answered.
  const open = () => pending.length > 0 || failing().length < EARLY.length || redAt.size < failing().length;
  while (Date.now() < until && open()) await sleep(100);
  clearInterval(armer);
  const byTask = new Map(
    (await sb.app.store.jobsIn(['running', 'failed', 'delivered'])).map((j) => [j.taskId, j]),
  );
  const tasks = failing().sort((a, b) => a.createdAt - b.createdAt);
  const delaysMs = tasks.map((t) => {
    const job = byTask.get(t.id);
    const at = job ? redAt.get(job.messageId) : undefined;
    return at === undefined ? Number.POSITIVE_INFINITY : at - doneAt(sim, t.id);
  });
  const out = { delaysMs, failed: tasks.length, qpsLimited: sim.stats.qpsLimited };
  await sb.close();
  return out;
}

async function runNaive(generationMs: number) {
  const ak = 'AKNAIVEBENCH0001';
  const sk = 'naive-bench-secret-key-0001';
  const sim = await startJimengSimulator({ accessKeyId: ak, secretAccessKey: sk, generationMs, qps: QPS });
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
        else await sleep(ms(1000));
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
    callsPerJob: getResults(sim) / JOBS,
    qpsLimited: sim.stats.qpsLimited,
    medianDelayMs: median(seen),
  };
  await sim.close();
  return out;
}

type Naive = Awaited<ReturnType<typeof runNaive>>;

const judged = (ok: boolean) => (scaled ? undefined : ok);
const sec = (v: number) => round(v / 1000, 2);

function caseRows(label: string, bot: BotFigures, naive: Naive): BenchResult[] {
  const all = bot.answered === JOBS;
  const name = (what: string) => `polling, ${label} generation (prior 60 s): ${what}`;
  const note =
    `${scaled ? `SCALED ×${SCALE}, not the real figures; ` : ''}real time, ${JOBS} jobs at once, ` +
    `simulator ${QPS} req/s; ${bot.answered}/${JOBS} answered (${bot.media} as media), ` +
    `first submit → last video ${sec(bot.spanMs)} s`;
  return [
    {
      name: name('get-result calls per job'),
      value: round(bot.callsPerJob, 2),
      unit: 'calls',
      baselineName: `naive ${NAIVE_POLL_MS / 1000} s timer per task`,
      baseline: round(naive.callsPerJob, 2),
      ratio: ratioOf(bot.callsPerJob, naive.callsPerJob),
      better: 'lower',
      target: `≤ ${TARGET.callsPerJob}`,
      pass: judged(bot.callsPerJob <= TARGET.callsPerJob && all),
      note,
    },
    {
      name: name('50429 answers received'),
      value: bot.qpsLimited,
      unit: 'count',
      baselineName: 'naive',
      baseline: naive.qpsLimited,
      ratio: ratioOf(bot.qpsLimited, naive.qpsLimited),
      better: 'lower',
      target: String(TARGET.qpsLimited),
      pass: judged(bot.qpsLimited === TARGET.qpsLimited),
    },
    {
      name: name('median delay task done → video answered in Feishu'),
      value: sec(bot.medianDelayMs),
      unit: 's',
      baselineName: 'naive (done → seen, no delivery)',
      baseline: sec(naive.medianDelayMs),
      ratio: ratioOf(bot.medianDelayMs, naive.medianDelayMs),
      better: 'lower',
      target: `≤ ${TARGET.medianDelayMs / 1000} s`,
      pass: judged(bot.medianDelayMs <= TARGET.medianDelayMs && all),
      note: `max ${sec(bot.maxDelayMs)} s`,
    },
  ];
}

function earlyRow(early: EarlyFigures): BenchResult {
  const worst = early.delaysMs.length ? Math.max(...early.delaysMs) : Number.POSITIVE_INFINITY;
  const what = EARLY.map((e) => `#${e.nth} after ${e.afterMs / 1000} s`).join(', ');
  return {
    name: 'polling, early failure (60 s generation, prior 60 s): failure → failed card in Feishu, worst of 3',
    value: sec(worst),
    unit: 's',
    better: 'lower',
    target: `≤ ${TARGET.earlyMs / 1000} s`,
    pass: judged(worst <= TARGET.earlyMs && early.failed === EARLY.length),
    note:
      `${scaled ? `SCALED ×${SCALE}; ` : ''}${JOBS} jobs at once, tasks ${what}; ` +
      `${early.failed}/${EARLY.length} failed early at the simulator, each answered after: ` +
      `${early.delaysMs.map((d) => `${sec(d)} s`).join(', ')}; ${early.qpsLimited}×50429`,
  };
}

/** The three cases side by side with their targets (and the early failure), for the log. */
function sideBySide(bots: BotFigures[], naives: Naive[], early: EarlyFigures): string {
  const head = ['', ...CASES.map((c) => `${c.label} generation`), 'target'];
  const row = (what: string, cells: string[], target: string) => [what, ...cells, target];
  const cell = (b: string, n: string) => `${b} (naive ${n})`;
  const rows = [
    row(
      'get-result calls per job',
      bots.map((b, i) => cell(String(round(b.callsPerJob, 2)), String(round(naives[i]!.callsPerJob, 2)))),
      `≤ ${TARGET.callsPerJob}`,
    ),
    row(
      '50429 received',
      bots.map((b, i) => cell(String(b.qpsLimited), String(naives[i]!.qpsLimited))),
      '0',
    ),
    row(
      'median done → video in Feishu',
      bots.map((b, i) => cell(`${sec(b.medianDelayMs)} s`, `${sec(naives[i]!.medianDelayMs)} s seen`)),
      '≤ 3 s',
    ),
    row(
      'max done → video in Feishu',
      bots.map((b) => `${sec(b.maxDelayMs)} s`),
      '',
    ),
    row(
      'answered',
      bots.map((b) => `${b.answered}/${JOBS}`),
      `${JOBS}/${JOBS}`,
    ),
    row(
      'early failure → failed card (each)',
      [
        `${early.delaysMs.map((d) => `${sec(d)} s`).join(', ')}` +
          (early.failed < EARLY.length ? ` (${EARLY.length - early.failed} never submitted in time)` : ''),
        '',
        '',
      ],
      '≤ 10 s',
    ),
  ];
  return [head, head.map(() => '---'), ...rows].map((r) => `  | ${r.join(' | ')} |`).join('\n');
}

export async function runPolling(): Promise<BenchResult[]> {
  if (scaled)
    log(`  polling: BENCH_POLL_SCALE=${SCALE}: durations ×${SCALE}, ${QPS} req/s (not the real figures)`);
  const [bots, early, naives] = await Promise.all([
    Promise.all(CASES.map((c) => runBot(c.generationMs))),
    runEarly(),
    Promise.all(CASES.map((c) => runNaive(c.generationMs))),
  ]);
  log(
    `  polling (${JOBS} jobs, ${QPS} req/s, bot prior ${PRIOR_MS / 1000} s):\n${sideBySide(bots, naives, early)}`,
  );
  return [...CASES.flatMap((c, i) => caseRows(c.label, bots[i]!, naives[i]!)), earlyRow(early)];
}
