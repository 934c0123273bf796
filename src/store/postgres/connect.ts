import pg from 'pg';
import type { Logger } from '../../log.js';
import { types } from './json-codec.js';
import { PgStoreError } from './pg-store-error.js';

export type PoolOptions = Omit<pg.PoolConfig, 'connectionString'>;

/** user@host:port/database: the URL as it may be logged (no password, no query string). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    return `${user}${host}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** Why `url` is not a PostgreSQL URL, or undefined. */
function urlProblem(url: string): string | undefined {
  if (!url.trim()) return 'is empty';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return `has scheme "${u.protocol}"`;
  return undefined;
}

/** Turns a failure to connect into the one-line, password-free PgStoreError a person can act on. */
export function openError(url: string, err: unknown): PgStoreError {
  const target = describeUrl(url);
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const detail = (e.message ?? String(err)).split('\n')[0]!.replaceAll(url, target);
  // Without a code: node-postgres's own refusals, e.g. a SCRAM server asked for a password the URL lacks.
  if (code === '28P01' || code === '28000' || (!code && /password|SASL|SCRAM/i.test(detail)))
    return new PgStoreError(
      'DATABASE_AUTH',
      target,
      `DATABASE_URL: PostgreSQL at ${target} refused the login (${detail}): check the user and password`,
    );
  if (code === '3D000')
    return new PgStoreError(
      'DATABASE_MISSING',
      target,
      `DATABASE_URL: PostgreSQL at ${target} has no such database (${detail}): create it or fix the URL`,
    );
  return new PgStoreError(
    'DATABASE_UNREACHABLE',
    target,
    `DATABASE_URL: cannot reach PostgreSQL at ${target} (${code || detail}): is it running, and is the URL right?`,
  );
}

/**
 * A pool on `url`, checked by one round trip. Each connection gives up on a transaction left idle (a
 * frozen replica must not hold its locks forever) and keeps the TCP connection alive.
 */
export async function connect(url: string, options: PoolOptions, log: Logger): Promise<pg.Pool> {
  const problem = urlProblem(url);
  if (problem)
    throw new PgStoreError(
      'DATABASE_URL_INVALID',
      describeUrl(url),
      `DATABASE_URL: ${problem}: expected postgres://user:password@host:5432/database`,
    );
  const pool = new pg.Pool({
    connectionTimeoutMillis: 10_000,
    idle_in_transaction_session_timeout: 60_000,
    keepAlive: true,
    application_name: 'jimeng-bot',
    ...options,
    connectionString: url,
    types,
  });
  // An idle connection the server dropped emits here; unhandled, it would end the process.
  pool.on('error', (err) => log.warn({ err: err.message, db: describeUrl(url) }, 'postgres connection lost'));
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw openError(url, err);
  }
  return pool;
}
