/**
 * `npm run bench`: every benchmark side by side with its baseline, printed as a table and written to
 * bench/results.json. Select some with `npm run bench -- ingest store` (names: ingest sign store polling memory
 * store-pg).
 */
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runIngest } from './ingest.js';
import { type BenchResult, log, printTable } from './lib.js';
import { runMemory } from './memory.js';
import { runPolling } from './polling.js';
import { runSign } from './sign.js';
import { runStore } from './store.js';
import { runStorePg } from './store-pg.js';

const ALL: Record<string, () => Promise<BenchResult[]>> = {
  sign: runSign,
  store: runStore,
  memory: runMemory,
  ingest: runIngest,
  polling: runPolling,
  'store-pg': runStorePg,
};

async function main(): Promise<void> {
  const picked = process.argv.slice(2).filter((a) => a in ALL);
  const names = picked.length ? picked : Object.keys(ALL);
  const started = Date.now();
  const results: BenchResult[] = [];
  for (const name of names) {
    log(`▶ ${name}`);
    const t0 = Date.now();
    results.push(...(await ALL[name]!()));
    log(`  (${name}: ${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  const table = printTable(results);
  process.stdout.write(`\n${table}\n`);
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? '',
    command: `npm run bench${picked.length ? ` -- ${picked.join(' ')}` : ''}`,
    seconds: Math.round((Date.now() - started) / 1000),
    results,
  };
  const file = fileURLToPath(new URL('./results.json', import.meta.url));
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  log(`wrote ${file} (${out.seconds} s)`);
  const missed = results.filter((r) => r.pass === false).map((r) => r.name);
  if (missed.length) log(`targets missed: ${missed.length}\n  - ${missed.join('\n  - ')}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
