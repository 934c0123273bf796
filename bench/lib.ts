import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/** One line of bench/results.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** What the baseline is (e.g. "bare node:http"). */
  baselineName?: string;
  baseline?: number | null;
  /** value / baseline (for "lower is better" units the reader flips it; see `better`). */
  ratio?: number | null;
  better?: 'higher' | 'lower';
  target?: string;
  pass?: boolean;
  note?: string;
}

export const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function ratioOf(value: number, baseline: number | null | undefined): number | null {
  if (baseline === null || baseline === undefined || baseline === 0) return null;
  const r = value / baseline;
  return r === 0 ? 0 : Number(r.toPrecision(3));
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline === undefined || r.baseline === null ? '–' : `${fmt(r.baseline)} (${r.baselineName ?? ''})`,
    r.ratio === undefined || r.ratio === null ? '–' : `${r.ratio}×`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS',
  ]);
  const head = ['benchmark', 'value', 'baseline', 'ratio', 'target', ''];
  const md = [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  return md.join('\n');
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return String(round(n, 1));
  return String(round(n, 2));
}

/** Fresh app credentials for one benchmark, named as bench/target.ts reads them from its environment. */
export function benchSecrets(tag: string) {
  const hex = (n: number) => randomBytes(n).toString('hex');
  return {
    BENCH_APP_ID: `cli_${tag}${hex(6)}`,
    BENCH_APP_SECRET: hex(16),
    BENCH_ENCRYPT_KEY: hex(16),
    BENCH_TOKEN: hex(16),
    BENCH_AK: `AK${tag.toUpperCase()}${hex(4)}`,
    BENCH_SK: hex(20),
  };
}
export type BenchSecrets = ReturnType<typeof benchSecrets>;

/** A helper process started with tsx that talks over IPC (bench/target.ts). */
export interface Child {
  proc: ChildProcess;
  /** Sends a request and waits for the answer with the same id. */
  ask<T = unknown>(msg: Record<string, unknown>): Promise<T>;
  /** Resolves with the first `ready` message. */
  ready: Promise<Record<string, unknown>>;
  kill(): Promise<void>;
}

const TARGET = fileURLToPath(new URL('./target.ts', import.meta.url));

export function startChild(mode: string, env: Record<string, string> = {}, execArgv: string[] = []): Child {
  const proc = fork(TARGET, [mode], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  let onReady: (v: Record<string, unknown>) => void = () => {};
  let onFail: (e: Error) => void = () => {};
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  proc.on('message', (m: Record<string, unknown>) => {
    if (m.type === 'ready') onReady(m);
    else if (typeof m.id === 'number') {
      waiting.get(m.id)?.(m.result);
      waiting.delete(m.id);
    }
  });
  proc.once('exit', (code) => onFail(new Error(`${mode} child exited (${code}) before it was ready`)));
  return {
    proc,
    ready,
    ask<T>(msg: Record<string, unknown>) {
      const id = ++seq;
      return new Promise<T>((resolve) => {
        waiting.set(id, resolve as (v: unknown) => void);
        proc.send({ ...msg, id });
      });
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      // A profiled child must exit by itself to write its profile (it exits when the IPC channel closes).
      if (process.env.BENCH_PROF) proc.disconnect();
      else proc.kill('SIGKILL');
      await exited;
    },
  };
}

let built = false;
/** Compiles the production build (dist/) once per run, for benchmarks that measure `node dist/main.js`. */
export function ensureBuilt(): void {
  if (built) return;
  log('  (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: fileURLToPath(new URL('../', import.meta.url)),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  built = true;
}

/**
 * CPU placement for the ingest benchmark: on a machine with n ≥ 2 CPUs, the measured server gets CPU 1 to
 * itself (one core, as a Node process is deployed) and everything else (load generators, the bot's peers,
 * this process) the other CPUs, so servers are compared on equal cores instead of on how the scheduler
 * shares two of them with the load generator. Uses taskset (util-linux); without it nothing is pinned.
 */
export const cpuPlan = (() => {
  const n = availableParallelism();
  if (n < 2) return undefined;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const others = [0, ...Array.from({ length: n - 2 }, (_, i) => i + 2)].join(',');
  return { server: '1', others, all: `0-${n - 1}` };
})();

/** Sets the CPU affinity of every thread of `pid` (no-op without a plan). */
export function pin(pid: number, cpus: string | undefined): void {
  if (!cpus) return;
  execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
}
