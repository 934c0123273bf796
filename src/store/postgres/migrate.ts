import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { Logger } from '../../log.js';
import { LOCK_CLASS, MIGRATE_KEY } from './locks.js';

/** The .sql files beside this module (copied into dist/ by the build). */
export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** `NNN_name.sql` files, by version. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f));
  const out: Migration[] = [];
  for (const name of files) {
    const sql = await readFile(new URL(name, dir), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    out.push({ version: Number.parseInt(name, 10), name, sql, checksum });
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++)
    if (out[i]!.version === out[i - 1]!.version)
      throw new Error(`two migrations have version ${out[i]!.version}: ${out[i - 1]!.name}, ${out[i]!.name}`);
  return out;
}

const CREATE_TABLE = /* sql */ `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Applies the migrations this database lacks, each in its own transaction with its schema_migrations
 * row, while holding a session advisory lock: replicas starting together queue on the lock and the later
 * ones find nothing left to do. Returns the versions this call applied.
 */
export async function migrate(pool: pg.Pool, log: Logger, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, MIGRATE_KEY]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations',
    );
    const have = new Map(rows.map((r) => [r.version, r]));
    for (const m of all) {
      const done = have.get(m.version);
      if (done) {
        if (done.checksum !== m.checksum)
          log.warn({ migration: m.name }, 'an applied migration was edited since: add a new one instead');
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw Object.assign(new Error(`migration ${m.name} failed: ${(err as Error).message}`), {
          cause: err,
        });
      }
      applied.push(m.version);
      log.info({ migration: m.name }, 'database migrated');
    }
    const known = new Set(all.map((m) => m.version));
    const newer = rows.filter((r) => !known.has(r.version)).map((r) => r.name);
    if (newer.length)
      log.warn(
        { migrations: newer },
        'the database has migrations this version does not know (a newer replica?)',
      );
    return applied;
  } finally {
    // A connection that cannot even unlock is dropped (which releases the session lock too).
    const unlocked = await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, MIGRATE_KEY]).then(
      () => true,
      () => false,
    );
    client.release(!unlocked);
  }
}
