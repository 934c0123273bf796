/**
 * What only a shared database can show: several PgStore instances (each its own pool, like replicas)
 * racing on one database, leases of a dead instance lapsing, migrations applied once, start-up errors,
 * and the retention sweep. A real PostgreSQL: one throwaway cluster for the file, a database per test.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { CreateJobResult, QuotaPolicy } from '../../src/store/port.js';
import { PgStore, type PgStoreOptions } from '../../src/store/postgres/pg-store.js';
import { PgStoreError } from '../../src/store/postgres/pg-store-error.js';
import { DAY, draft, item, POLICY } from '../contract/store-contract.js';
import { GUARDED, GUARDED_PASSWORD, type PgCluster, startPgCluster } from '../helpers/pg-cluster.js';

const T0 = Date.UTC(2026, 11, 3, 2);
const HOUR = 3_600_000;

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(() => cluster?.stop());

const opened: PgStore[] = [];
const clients: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
});

async function open(url: string, opts: Partial<PgStoreOptions> = {}): Promise<PgStore> {
  // On the test's clock (retention): records are dated around T0, which the wall clock outgrows.
  const store = await PgStore.open({ url, now: () => T0, ...opts });
  opened.push(store);
  return store;
}

/** Two instances on one fresh database: two pools, as two replicas would have. */
async function replicas(opts: Partial<PgStoreOptions> = {}): Promise<[PgStore, PgStore, string]> {
  const url = await cluster.createDatabase();
  return [await open(url, opts), await open(url, opts), url];
}

async function rawClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  clients.push(c);
  return c;
}

/** Runs `n` calls, alternating between the two instances, all at once. */
const race = <T>(stores: [PgStore, PgStore], n: number, f: (s: PgStore, i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => f(stores[i % 2]!, i)));

describe('PgStore shared by two replicas', () => {
  it('of racing accepts of one delivery on both, exactly one wins', async () => {
    const [a, b] = await replicas();
    for (const key of ['om_1', 'om_2', 'om_3']) {
      const wins = await race([a, b], 10, (s) => s.accept(item(key)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    }
    const inbox = await b.claimInbox({ now: T0, limit: 10, leaseMs: 1000 });
    expect(inbox.map((i) => i.id)).toEqual(['om_1', 'om_2', 'om_3']);
  });

  it('of racing createJobs on both, no more pass than the quota allows', async () => {
    const [a, b] = await replicas();
    const one: QuotaPolicy = { ...POLICY, userDailyVideos: 1 };
    const daily = await race([a, b], 12, (s, i) =>
      s.createJob(draft({ sourceId: `om_d${i}` }), one, { now: T0 }),
    );
    expect(daily.filter((r) => r.ok)).toHaveLength(1);
    expect(daily.filter((r) => !r.ok).map((r) => !r.ok && 'refusal' in r && r.refusal.code)).toEqual(
      Array(11).fill('USER_DAILY'),
    );

    // The budget is the day's, across users: one job's cost is left.
    const budget: QuotaPolicy = { ...POLICY, dailyBudgetYuan: 6 };
    const spend = await race([a, b], 12, (s, i) =>
      s.createJob(draft({ userOpenId: `ou_u${i}`, costYuan: 3 }), budget, { now: T0 }),
    );
    expect(spend.filter((r) => r.ok)).toHaveLength(1);
    expect((await a.quotaState({ user: 'ou_x', chat: 'oc_1', day: DAY })).spentYuan).toBe(6);

    // In flight counts the user's jobs of every day: racing creations on different days pass once.
    const flight: QuotaPolicy = { ...POLICY, maxInFlightPerUser: 1 };
    const days = await race([a, b], 10, (s, i) =>
      s.createJob(draft({ userOpenId: 'ou_carol', day: `2026-12-${10 + i}` }), flight, { now: T0 }),
    );
    expect(days.filter((r) => r.ok)).toHaveLength(1);
    expect(await b.inFlight('ou_carol')).toBe(1);
    expect(await a.ledgerSince(0)).toHaveLength(3);
  });

  it('a burst of creations committed together answers exactly as one at a time would (group commit)', async () => {
    const [a, b] = await replicas();
    const mem = new MemoryStore({ now: () => T0 });
    const policy: QuotaPolicy = {
      userDailyVideos: 5,
      chatDailyVideos: 8,
      dailyBudgetYuan: 40,
      maxInFlightPerUser: 7,
    };
    const days = ['2026-12-02', '2026-12-03'];
    for (const s of [a, mem]) for (let i = 0; i < 30; i += 3) await s.accept(item(`om_b${i}`));
    const calls = Array.from({ length: 60 }, (_, i) => ({
      draft: draft({
        sourceId: `om_b${i}`,
        userOpenId: `ou_${i % 3}`,
        chatId: `oc_${i % 2}`,
        day: days[(i >> 2) % 2]!,
        costYuan: [3, 2.5, 3.33, 6][i % 4]!,
      }),
      // Every third names its message; those past 30 have none in the inbox; one message is named twice.
      inboxId: i % 3 === 0 ? `om_b${i === 33 ? 0 : i}` : undefined,
    }));
    const opts = (c: (typeof calls)[number]) => ({ now: T0, ...(c.inboxId ? { inboxId: c.inboxId } : {}) });
    const want = [];
    for (const c of calls) want.push(await mem.createJob(c.draft, policy, opts(c)));
    // All at once on one replica: they queue behind the first transaction and commit in batches.
    const got = await Promise.all(calls.map((c) => a.createJob(c.draft, policy, opts(c))));
    const answer = (r: CreateJobResult) => (r.ok ? r.job.sourceId : r);
    expect(got.map(answer)).toEqual(want.map(answer));
    expect(got.filter((r) => r.ok).map((r) => r.ok && r.job.id)).toEqual(
      want.filter((r) => r.ok).map((r) => r.ok && r.job.id),
    );
    for (const day of days)
      for (const u of [0, 1, 2])
        expect(await b.quotaState({ user: `ou_${u}`, chat: `oc_${u % 2}`, day })).toEqual(
          await mem.quotaState({ user: `ou_${u}`, chat: `oc_${u % 2}`, day }),
        );
    expect(await b.ledgerSince(0)).toEqual(await mem.ledgerSince(0));
    expect((await b.claimInbox({ now: T0, limit: 99, leaseMs: 1 })).map((i) => i.id)).toEqual(
      (await mem.claimInbox({ now: T0, limit: 99, leaseMs: 1 })).map((i) => i.id),
    );
  });

  it('claimSubmits on both never holds more than maxInFlight at Jimeng, nor claims a job twice', async () => {
    const [a, b] = await replicas();
    const policy = { ...POLICY, userDailyVideos: 100, maxInFlightPerUser: 100 };
    for (let i = 0; i < 24; i++)
      await (i % 2 ? a : b).createJob(draft({ userOpenId: `ou_${i % 3}` }), policy, { now: T0 + i });
    const accounts = [
      { name: 'one', maxInFlight: 2 },
      { name: 'two', maxInFlight: 2 },
    ];
    const claimed = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const got = (
        await race([a, b], 4, (s) => s.claimSubmits({ now: T0 + 100, accounts, limit: 3 }))
      ).flat();
      for (const j of got) {
        expect(claimed.has(j.id)).toBe(false);
        claimed.add(j.id);
      }
      const running = (await b.jobsIn(['running'])).filter((j) => !j.videoUrl);
      const holding = [...(await a.jobsIn(['submitting'])), ...running];
      expect(holding.length).toBeLessThanOrEqual(4);
      for (const name of ['one', 'two'])
        expect(holding.filter((j) => j.account === name).length).toBeLessThanOrEqual(2);
      // One replica's submits land, the other's tasks finish: slots free up on both sides.
      const [first, second] = await a.jobsIn(['submitting']);
      if (first)
        await b.transition(first.id, { from: ['submitting'], to: 'running', set: { taskId: 't' } }, T0);
      if (second) await a.transition(second.id, { from: ['submitting'], to: 'failed', charge: 'refund' }, T0);
      for (const j of running)
        await a.transition(j.id, { from: ['running'], set: { videoUrl: 'https://v/1.mp4' } }, T0);
    }
    expect(claimed.size).toBe(24);
  });

  it('leases lapse after leaseMs (a replica alive but stuck), and the other replica takes the work', async () => {
    const [a, b] = await replicas();
    await a.accept(item('om_in'));
    const r = await a.createJob(draft(), POLICY, { now: T0 });
    if (!r.ok) throw new Error('refused');
    const id = r.job.id;
    await a.claimSubmits({ now: T0, accounts: [{ name: 'main', maxInFlight: 1 }], limit: 1 });
    await a.transition(id, { from: ['submitting'], to: 'running', set: { taskId: 't', nextPollAt: T0 } }, T0);
    const lease = { now: T0, limit: 5, leaseMs: 1000 };
    expect(await a.claimPolls(lease)).toHaveLength(1);
    expect(await a.claimCards(lease)).toHaveLength(1);
    expect(await a.claimInbox(lease)).toHaveLength(1);
    // a stays alive but never finishes (a dead replica's claims end sooner: pg-replicas.test.ts)

    const at = (now: number) => ({ now, limit: 5, leaseMs: 1000 });
    expect(await b.claimPolls(at(T0 + 999))).toEqual([]);
    expect(await b.claimCards(at(T0 + 999))).toEqual([]);
    expect(await b.claimInbox(at(T0 + 999))).toEqual([]);
    expect(await b.nextPollAt()).toBe(T0 + 1000);
    expect((await b.claimPolls(at(T0 + 1000))).map((j) => j.id)).toEqual([id]);
    expect((await b.claimCards(at(T0 + 1000))).map((j) => j.id)).toEqual([id]);
    expect((await b.claimInbox(at(T0 + 1000))).map((i) => i.id)).toEqual(['om_in']);

    await b.transition(id, { from: ['running'], set: { videoUrl: 'https://v/1.mp4' } }, T0);
    expect(await b.claimDeliveries(at(T0 + 2000))).toHaveLength(1);
    expect(await b.claimDeliveries(at(T0 + 2999))).toEqual([]);
    expect(await b.claimDeliveries(at(T0 + 3000))).toHaveLength(1);
  });

  it('a replica killed mid-transaction blocks nobody: its row is skipped, then free when it dies', async () => {
    const [a, b, url] = await replicas();
    const r = await a.createJob(draft(), POLICY, { now: T0 });
    if (!r.ok) throw new Error('refused');
    const dying = await rawClient(url);
    await dying.query('BEGIN');
    await dying.query('SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE', [r.job.id]);
    // The card claim skips the locked row instead of waiting for it.
    expect(await b.claimCards({ now: T0, limit: 5, leaseMs: 1000 })).toEqual([]);
    const pid = (await dying.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    dying.on('error', () => {});
    const admin = await rawClient(url);
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await expect.poll(async () => (await b.claimCards({ now: T0, limit: 5, leaseMs: 1000 })).length).toBe(1);
  });

  it('of racing transitions of one job on both replicas, one wins and the refund happens once', async () => {
    const [a, b] = await replicas();
    const r = await a.createJob(draft(), POLICY, { now: T0 });
    if (!r.ok) throw new Error('refused');
    const cancel = { from: ['queued'] as const, to: 'cancelled' as const, charge: 'refund' as const };
    const results = await race([a, b], 8, (s) => s.transition(r.job.id, cancel, T0 + 1));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await b.quotaState({ user: 'ou_alice', chat: 'oc_1', day: DAY })).toMatchObject({
      used: 0,
      chatUsed: 0,
      spentYuan: 0,
      inFlight: 0,
    });
  });
});

describe('PgStore records', () => {
  it('keeps text jsonb cannot hold (NUL, a lone surrogate, the codec’s own escape) exactly', async () => {
    const [a, b] = await replicas();
    const odd = 'a\u0000b \ud83d cut \ue000e000 \\u0000 😀';
    await a.accept({ ...item('om_odd'), payload: { text: odd, list: [odd, 1, null] } });
    expect(
      (await b.claimInbox({ now: T0, limit: Number.POSITIVE_INFINITY, leaseMs: 1 }))[0]?.payload,
    ).toEqual({
      text: odd,
      list: [odd, 1, null],
    });
    const r = await a.createJob(draft({ prompt: odd, userName: odd }), POLICY, { now: T0 });
    if (!r.ok) throw new Error('refused');
    expect(r.job.prompt).toBe(odd);
    expect(await b.job(r.job.id)).toEqual(r.job);
    const failed = await b.transition(
      r.job.id,
      { from: ['queued'], to: 'failed', charge: 'refund', error: { code: 'X', detail: odd } },
      T0,
    );
    expect((await a.jobsOfUser('ou_alice', Number.POSITIVE_INFINITY))[0]).toEqual(failed);
    await a.admin({ kind: 'pause', reason: odd }, 'ou_admin', POLICY, T0);
    expect((await b.paused())?.reason).toBe(odd);
    expect((await b.adminLogSince(0))[0]?.reason).toBe(odd);
  });
});

describe('PgStore start-up', () => {
  it('migrates once when several replicas open a new database together', async () => {
    const url = await cluster.createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => open(url)));
    expect(stores.map((s) => s.migrated.length).sort()).toEqual([0, 0, 0, 2]);
    const c = await rawClient(url);
    expect((await c.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows).toEqual([
      { version: 1, name: '001_init.sql' },
      { version: 2, name: '002_replicas.sql' },
    ]);
    expect((await open(url)).migrated).toEqual([]);
  });

  it('fails with one line naming DATABASE_URL, never the password, when it cannot connect or migrate', async () => {
    const err = async (url: string) => {
      try {
        await PgStore.open({ url, pool: { connectionTimeoutMillis: 3000 } });
      } catch (e) {
        return e as PgStoreError;
      }
      throw new Error('opened');
    };
    const closed = await err(`postgres://bot:s3cret-pw@127.0.0.1:${cluster.port + 1}/jimeng`);
    expect(closed).toBeInstanceOf(PgStoreError);
    expect(closed.code).toBe('DATABASE_UNREACHABLE');
    expect(closed.message).toMatch(
      /^DATABASE_URL: cannot reach PostgreSQL at bot@127\.0\.0\.1:\d+\/jimeng \(ECONNREFUSED\)/,
    );

    const missing = await err(cluster.url('no_such_db'));
    expect(missing.code).toBe('DATABASE_MISSING');
    expect(missing.message).toContain('DATABASE_URL:');

    const guarded = `127.0.0.1:${cluster.port}/postgres`;
    // The right password gets in; PostgreSQL 15 lets no one but the owner create in `public`.
    const denied = await err(`postgres://${GUARDED}:${GUARDED_PASSWORD}@${guarded}`);
    expect(denied.code).toBe('DATABASE_MIGRATION');
    expect(denied.message).toMatch(/^DATABASE_URL: cannot set up the schema in guarded@.*permission denied/);
    const wrong = await err(`postgres://${GUARDED}:s3cret-pw@${guarded}`);
    expect(wrong.code).toBe('DATABASE_AUTH');
    expect(wrong.message).toMatch(
      /^DATABASE_URL: PostgreSQL at guarded@127\.0\.0\.1:\d+\/postgres refused the login/,
    );
    const none = await err(`postgres://${GUARDED}@${guarded}`);
    expect(none.code).toBe('DATABASE_AUTH');

    const invalid = await err('mysql://bot:s3cret-pw@db/jimeng');
    expect(invalid.code).toBe('DATABASE_URL_INVALID');
    for (const e of [closed, missing, denied, wrong, none, invalid]) {
      expect(e.message).not.toContain('s3cret-pw');
      expect(e.message).not.toContain(GUARDED_PASSWORD);
      expect(e.message).not.toContain('\n');
    }
  });
});

describe('PgStore retention sweep', () => {
  it('forgets old dedup keys, archives finished jobs beyond the window, drops old ledger and usage', async () => {
    let now = T0;
    const url = await cluster.createDatabase();
    const s = await open(url, {
      now: () => now,
      sweepEveryMs: 0,
      retention: { finishedJobs: 3, finishedJobDays: 7, ledgerDays: 2, dedupHours: 24 },
    });
    const policy = { ...POLICY, userDailyVideos: 100 };
    await s.accept(item('om_old', T0));
    const ids: string[] = [];
    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03'])
      for (let i = 0; i < 2; i++) {
        const r = await s.createJob(draft({ day }), policy, { now: T0 });
        if (r.ok) ids.push(r.job.id);
      }
    for (const id of ids.slice(0, 5))
      await s.transition(id, { from: ['queued'], to: 'cancelled', charge: 'refund' }, T0);
    await s.admin({ kind: 'pause', reason: 'r' }, 'ou_admin', POLICY, T0);

    now = T0 + 23 * HOUR;
    expect(await s.sweep()).toEqual({ seen: 0, ledger: 0, adminLog: 0, usageDays: 1, archived: 2 });
    expect((await s.jobsIn(['cancelled'])).map((j) => j.id)).toEqual(ids.slice(2, 5));
    expect(await s.job(ids[5]!)).toBeDefined(); // active jobs stay
    expect(await s.accept(item('om_old'))).toBe(false);

    now = T0 + 3 * 24 * HOUR;
    expect(await s.sweep()).toMatchObject({ seen: 1, ledger: 2, adminLog: 1, archived: 0 });
    expect(await s.accept(item('om_old'))).toBe(true);
    expect((await s.ledgerSince(0)).map((e) => e.jobId)).toEqual(ids.slice(2));
    expect(await s.adminLogSince(0)).toEqual([]);

    now = T0 + 8 * 24 * HOUR;
    const last = await s.sweep();
    expect(last?.archived).toBe(3);
    // The archived jobs' ledger entries (past ledgerDays) go in the same sweep; the active job's stays.
    expect(last?.ledger).toBe(3);
    expect((await s.ledgerSince(0)).map((e) => e.jobId)).toEqual([ids[5]]);
    const c = await rawClient(url);
    expect(Number((await c.query('SELECT count(*) FROM jobs_archive')).rows[0].count)).toBe(5);
  });

  it('one replica sweeps at a time', async () => {
    const [a, , url] = await replicas({ sweepEveryMs: 0 });
    const c = await rawClient(url);
    await c.query('SELECT pg_advisory_lock($1, $2)', [0x4a4d, 3]);
    expect(await a.sweep()).toBeUndefined();
    await c.query('SELECT pg_advisory_unlock($1, $2)', [0x4a4d, 3]);
    expect(await a.sweep()).toBeDefined();
  });
});
