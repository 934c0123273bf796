/**
 * `npm run bench`: every benchmark side by side with its baseline, printed as a table and written to
 * bench/results.json. Select some with `npm run bench -- ingest store` (names: ingest sign store polling memory
 * accounts store-pg): their rows replace the ones they wrote before, and the other benchmarks' rows are kept
 * as they were (`kept` in the file says from which run).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runAccounts } from './accounts.js';
import { runIngest } from './ingest.js';
import { type BenchResult, log, printTable } from './lib.js';
import { runMemory } from './memory.js';
import { runPolling } from './polling.js';
import { runSign } from './sign.js';
import { runStore } from './store.js';
import { runStorePg } from './store-pg.js';

/** Each benchmark's rows start with this (rows written before `bench` was recorded on them). */
const PREFIX: Record<string, string> = {
  sign: 'signing',
  store: 'store',
  memory: 'memory',
  ingest: 'ingest',
  polling: 'polling',
};

type Row = BenchResult & { bench?: string };
interface ResultsFile {
  date: string;
  command: string;
  results: Row[];
  cpu: string;
  kept?: { benches: string[]; from: string; command: string; cpu: string };
}

const benchOf = (r: Row) => r.bench ?? Object.keys(PREFIX).find((b) => r.name.startsWith(PREFIX[b]!));

const ALL: Record<string, () => Promise<BenchResult[]>> = {
  sign: runSign,
  store: runStore,
  memory: runMemory,
  ingest: runIngest,
  polling: runPolling,
  accounts: runAccounts,
  'store-pg': runStorePg,
};

async function main(): Promise<void> {
  const picked = process.argv.slice(2).filter((a) => a in ALL);
  const names = picked.length ? picked : Object.keys(ALL);
  const started = Date.now();
  const results: Row[] = [];
  for (const name of names) {
    log(`▶ ${name}`);
    const t0 = Date.now();
    results.push(...(await ALL[name]!()).map((r) => ({ ...r, bench: name })));
    log(`  (${name}: ${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  const table = printTable(results);
  process.stdout.write(`\n${table}\n`);
  const file = fileURLToPath(new URL('./results.json', import.meta.url));
  // A partial run keeps the rows of the benchmarks it did not run, from the file as it was.
  const before = picked.length ? await readPrevious(file) : undefined;
  const keptRows = before?.results.filter((r) => !names.includes(benchOf(r) ?? '')) ?? [];
  const keptBenches = [...new Set(keptRows.map((r) => benchOf(r) ?? '?'))];
  const kept =
    before && keptRows.length
      ? {
          benches: keptBenches,
          from: before.kept?.from ?? before.date,
          command: before.kept?.command ?? before.command,
          cpu: before.kept?.cpu ?? before.cpu,
        }
      : undefined;
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? '',
    command: `npm run bench${picked.length ? ` -- ${picked.join(' ')}` : ''}`,
    seconds: Math.round((Date.now() - started) / 1000),
    ...(kept ? { kept } : {}),
    results: [...keptRows, ...results].sort(
      (a, b) => order.indexOf(benchOf(a) ?? '') - order.indexOf(benchOf(b) ?? ''),
    ),
  };
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  log(`wrote ${file} (${out.seconds} s)`);
  const missed = results.filter((r) => r.pass === false).map((r) => r.name);
  if (missed.length) log(`targets missed: ${missed.length}\n  - ${missed.join('\n  - ')}`);
}

/** The order rows are written in: as in the full run. */
const order = ['sign', 'store', 'memory', 'ingest', 'polling'];

async function readPrevious(file: string): Promise<ResultsFile | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ResultsFile;
  } catch {
    return undefined;
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
