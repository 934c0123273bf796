/**
 * `/video` ingest on PostgreSQL: signed deliveries of distinct `/video` messages to the real app (the
 * production build, bench/target.ts `bot`), each becoming a persisted job, with one and with two replicas
 * on one PostgreSQL, side by side with the file store in the same run. A throwaway cluster with its
 * durability on (fsync, synchronous commit: what production runs), on this machine's disk.
 * Per setup, fresh processes and a fresh database: a fixed-rate run (500 req/s in all, the replicas taking
 * turns as behind a round-robin balancer) for ack latency, then open load (autocannon, the connections
 * split between the replicas) for jobs accepted per second: jobs persisted ÷ (load time + the time to
 * persist the last acknowledged one). Nothing is pinned to a CPU: the bots, PostgreSQL, the peers and the
 * load generators share the machine.
 */
import { startPgCluster } from '../test/helpers/pg-cluster.js';
import { cannon, pool } from './ingest.js';
import {
  type BenchResult,
  benchSecrets,
  type Child,
  ensureBuilt,
  log,
  round,
  sleep,
  startChild,
} from './lib.js';
import type { PacedResult } from './paced.js';

const RATE = 500;
const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DRAIN_WINDOW_MS = 15_000;
const POOL = 40_000;

interface Setup {
  label: string;
  replicas: number;
  postgres: boolean;
}

const SETUPS: Setup[] = [
  { label: 'file store, 1 process', replicas: 1, postgres: false },
  { label: 'PostgreSQL, 1 replica', replicas: 1, postgres: true },
  { label: 'PostgreSQL, 2 replicas', replicas: 2, postgres: true },
];

interface Measured {
  fixed: PacedResult;
  jobsPerS: number;
  ackedPerS: number;
  drainMs: number;
  non2xx: number;
}

async function measure(
  setup: Setup,
  databaseUrl: string,
  creds: ReturnType<typeof benchSecrets>,
  peers: Child,
  peersEnv: Record<string, string>,
): Promise<Measured> {
  const env = { ...creds, ...peersEnv, ...(setup.postgres ? { BENCH_DATABASE_URL: databaseUrl } : {}) };
  const bots = Array.from({ length: setup.replicas }, () => startChild('bot', env));
  try {
    const urls = await Promise.all(bots.map(async (b) => ((await b.ready) as { url: string }).url));
    const reqs = await pool(peers, creds, 'video', POOL);
    const jobs = async () => (await bots[0]!.ask<{ jobs: number }>({ cmd: 'stats' })).jobs;
    const until = async (n: number) => {
      const t0 = performance.now();
      let now = await jobs();
      while (now < n && performance.now() - t0 < DRAIN_WINDOW_MS) {
        await sleep(20);
        now = await jobs();
      }
      return now;
    };
    const client = startChild('client');
    await client.ready;
    const paced = (slice: unknown[], seconds: number) =>
      client.ask<PacedResult>({ cmd: 'paced', url: urls, reqs: slice, rate: RATE, seconds });
    const warm = 1000;
    const fixedN = RATE * SECONDS;
    await paced(reqs.slice(0, warm), 2);
    await Promise.all(bots.map((b) => b.ask({ cmd: 'eld' })));
    const fixed = await paced(reqs.slice(warm, warm + fixedN), SECONDS);
    // Event-loop delay in the bots meanwhile: how long an ack could wait behind the bot's own work.
    const eld = await Promise.all(bots.map((b) => b.ask<{ p99: number; max: number }>({ cmd: 'eld' })));
    await client.kill();
    const j0 = await until(warm + fixedN);
    // Open load: each replica its own share of the connections and of the distinct messages.
    const open = reqs.slice(warm + fixedN);
    const share = Math.floor(open.length / urls.length);
    const t0 = performance.now();
    const runs = await Promise.all(
      urls.map((u, i) =>
        cannon(u, open.slice(i * share, (i + 1) * share), {
          seconds: SECONDS,
          connections: Math.max(1, Math.round(CONNECTIONS / urls.length)),
        }),
      ),
    );
    const loadEnd = performance.now();
    const acked = runs.reduce((n, r) => n + Math.min(r.total, share), 0);
    const j1 = await until(j0 + acked);
    const drainMs = performance.now() - loadEnd;
    const jobsPerS = ((j1 - j0) * 1000) / (performance.now() - t0);
    const ackedPerS = runs.reduce((n, r) => n + r.rps, 0);
    const non2xx = runs.reduce((n, r) => n + r.non2xx + r.errors, 0) + fixed.non2xx + fixed.errors;
    log(
      `  ${setup.label}: @${RATE}/s p50 ${fixed.p50} ms p99 ${fixed.p99} ms (event-loop delay p99 ` +
        `${eld.map((e) => round(e.p99, 1)).join(' / ')} ms, max ${eld.map((e) => round(e.max, 1)).join(' / ')} ms); ` +
        `open ${Math.round(ackedPerS)} acks/s, ` +
        `${j1 - j0} jobs in ${Math.round(performance.now() - t0)} ms (${Math.round(drainMs)} ms after the load) = ` +
        `${Math.round(jobsPerS)} jobs/s; non2xx/errors ${non2xx}`,
    );
    return { fixed, jobsPerS, ackedPerS, drainMs, non2xx };
  } finally {
    await Promise.all(bots.map((b) => b.kill()));
  }
}

export async function runStorePg(): Promise<BenchResult[]> {
  ensureBuilt();
  const creds = benchSecrets('pg');
  const peers = startChild('peers', creds);
  const p = (await peers.ready) as { feishuUrl: string; jimengUrl: string };
  const peersEnv = { BENCH_FEISHU_URL: p.feishuUrl, BENCH_JIMENG_URL: p.jimengUrl };
  const cluster = await startPgCluster({ durable: true });
  const results: BenchResult[] = [];
  try {
    const m = new Map<Setup, Measured>();
    for (const setup of SETUPS) {
      m.set(setup, await measure(setup, await cluster.createDatabase(), creds, peers, peersEnv));
      await sleep(200);
    }
    const file = m.get(SETUPS[0]!)!;
    for (const setup of SETUPS) {
      const r = m.get(setup)!;
      const two = setup.replicas === 2;
      results.push(
        {
          name: `store-pg /video: jobs accepted per s, ${setup.label}`,
          value: round(r.jobsPerS, 0),
          unit: 'jobs/s',
          ...(setup.postgres
            ? {
                baselineName: 'file store',
                baseline: round(file.jobsPerS, 0),
                ratio: round(r.jobsPerS / file.jobsPerS, 3),
              }
            : {}),
          better: 'higher',
          ...(two ? { target: '≥ 1,000 jobs/s', pass: r.jobsPerS >= 1000 } : {}),
          note: `open load ${SECONDS} s, ${CONNECTIONS} connections in all; ${Math.round(r.ackedPerS)} acks/s; persisted ${Math.round(r.drainMs)} ms after the load; non2xx/errors ${r.non2xx}`,
        },
        {
          name: `store-pg /video: p99 ack @${RATE} req/s, ${setup.label}`,
          value: r.fixed.p99,
          unit: 'ms',
          ...(setup.postgres
            ? {
                baselineName: 'file store',
                baseline: file.fixed.p99,
                ratio: round(r.fixed.p99 / file.fixed.p99, 3),
              }
            : {}),
          better: 'lower',
          ...(setup.postgres ? { target: '< 20 ms', pass: r.fixed.p99 < 20 } : {}),
          note: `p50 ${r.fixed.p50} ms; ${RATE} req/s in all${setup.replicas > 1 ? ', alternating replicas' : ''}`,
        },
      );
    }
  } finally {
    await peers.kill();
    await cluster.stop();
  }
  return results;
}
