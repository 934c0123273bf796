/**
 * A throwaway PostgreSQL cluster for tests: `initdb` + `pg_ctl start` in a temp dir, on a free port on
 * 127.0.0.1 with its unix socket in the temp dir too, as the `postgres` OS user when the tests run as
 * root (PostgreSQL refuses to run as root). One per test file (beforeAll), a fresh database per test,
 * stopped and removed at the end. Missing binaries fail the tests with how to install them.
 */
import { execFile, spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgCluster {
  port: number;
  /** A connection URL for database `db` (TCP on 127.0.0.1, user postgres, trust). */
  url(db: string): string;
  /** Creates a fresh empty database and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** A role that must log in with this SCRAM password (the tests' own connections use trust). */
export const GUARDED = 'guarded';
export const GUARDED_PASSWORD = 'pg-test-pw';

const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl) not found: install them with `apt-get install postgresql` ' +
  '(Debian/Ubuntu; .ci/run does this), or point PG_BINDIR at the directory holding initdb';

/** Where initdb and pg_ctl are: $PG_BINDIR, `pg_config --bindir`, /usr/lib/postgresql/<newest>/bin, PATH. */
export async function findPgBinDir(): Promise<string> {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    candidates.push((await run('pg_config', ['--bindir'])).stdout.trim());
  } catch {
    // pg_config is not always installed with the server.
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root))
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a)))
      candidates.push(join(root, v, 'bin'));
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  const found = candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (!found) throw new Error(INSTALL_HINT);
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `running as root, but there is no \`postgres\` OS user to run PostgreSQL as: ${INSTALL_HINT}`,
    );
  }
}

export interface PgClusterOptions {
  /**
   * Keep PostgreSQL's durability on (fsync, synchronous commit, full-page writes), as in production: for
   * benchmarks. Tests leave it off: a throwaway cluster need not survive a power cut, and commits are faster.
   */
  durable?: boolean;
}

export async function startPgCluster(opts: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = await findPgBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pg-cluster-'));
  const data = join(dir, 'data');
  const ids = asRoot ? await postgresIds() : undefined;
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const exec = async (tool: string, args: string[]) => {
    const [cmd, argv] = ids
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args];
    try {
      return await run(cmd, argv, { timeout: 30_000 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`${tool} failed: ${(e.stderr || e.message).trim()}`);
    }
  };

  await exec('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  // Trust for the tests' own connections (fast); the `guarded` role must log in with a SCRAM password,
  // as against a real server, so wrong and missing passwords can be tried.
  const hba = join(data, 'pg_hba.conf');
  writeFileSync(hba, `host all ${GUARDED} 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
  // Durability is pointless for a throwaway cluster: fsync off makes each commit (and CREATE DATABASE) fast.
  const start = async (port: number) => {
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      '-c max_connections=200',
    ].join(' ');
    await exec('pg_ctl', ['start', '-D', data, '-l', join(dir, 'log'), '-w', '-t', '20', '-o', settings]);
  };
  // The probed port can be taken by someone else before the server binds it: then try another.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await start(port);
      break;
    } catch (err) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
      if (attempt >= 3 || !/could not bind|Address already in use/i.test(log)) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`${(err as Error).message}\n${log.trim().split('\n').slice(-5).join('\n')}`);
      }
    }
  }

  // Should this process die without stopping the cluster (Ctrl-C, a killed worker), a watchdog does.
  const q = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`;
  const stopCmd = [
    ...(ids ? ['runuser', '-u', 'postgres', '--'] : []),
    join(bin, 'pg_ctl'),
    'stop',
    '-D',
    data,
    '-m',
    'immediate',
  ]
    .map(q)
    .join(' ');
  const watchdog = spawn(
    'sh',
    [
      '-c',
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopCmd} >/dev/null 2>&1; rm -rf ${q(dir)}`,
    ],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();

  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const admin = new pg.Pool({ connectionString: url('postgres'), max: 2 });
  await admin.query(`CREATE ROLE ${GUARDED} LOGIN PASSWORD '${GUARDED_PASSWORD}'`);
  let n = 0;
  let stopped = false;
  return {
    port,
    url,
    async createDatabase() {
      const db = `t${process.pid}_${++n}`;
      await admin.query(`CREATE DATABASE ${db}`);
      return url(db);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      watchdog.kill();
      await admin.end().catch(() => {});
      await exec('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
