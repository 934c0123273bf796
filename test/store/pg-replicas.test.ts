/**
 * What being several processes on one database adds to the port's contract: a replica killed with
 * kill -9 loses its claims once it is no longer heard from (however long their leases said), a replica
 * that closes frees them at once, a card send overtaken by another replica brings the card back, and one
 * Jimeng call budget paces the calls of every replica. A real PostgreSQL and real processes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JimengClient } from '../../src/jimeng/client.js';
import { type JimengSimulator, startJimengSimulator } from '../../src/sandbox/jimeng-simulator.js';
import { PgStore, type PgStoreOptions } from '../../src/store/postgres/pg-store.js';
import { draft, item, POLICY } from '../contract/store-contract.js';
import { type PgCluster, startPgCluster } from '../helpers/pg-cluster.js';
import { type ReplicaProcess, startReplicaProcess } from '../helpers/pg-replica-process.js';

const T0 = Date.UTC(2026, 11, 3, 2);
const TEN_MIN = 10 * 60_000;
const MAIN = [{ name: 'main', maxInFlight: 5 }];

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(() => cluster?.stop());

const opened: PgStore[] = [];
const procs: ReplicaProcess[] = [];
afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.kill()));
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function open(url: string, opts: Partial<PgStoreOptions> = {}): Promise<PgStore> {
  const store = await PgStore.open({ url, sweepEveryMs: 0, now: () => T0, ...opts });
  opened.push(store);
  return store;
}

describe('replicas on one database', () => {
  it('a replica killed with kill -9 loses its claims when it stops being heard from, not when they would end', async () => {
    const url = await cluster.createDatabase();
    const dying = await startReplicaProcess(url, 1500);
    procs.push(dying);
    const survivor = await open(url);
    await dying.call('accept', item('om_left'));
    for (let i = 0; i < 2; i++)
      await dying.call('createJob', draft({ prompt: `p${i}` }), POLICY, { now: T0 });
    const [submitting, running] = await dying.call('claimSubmits', {
      now: T0,
      accounts: MAIN,
      limit: 2,
      leaseMs: TEN_MIN,
    });
    const set = { taskId: 't', nextPollAt: T0 };
    await dying.call('transition', running!.id, { from: ['submitting'], to: 'running', set }, T0);
    const long = { now: T0, limit: 5, leaseMs: TEN_MIN };
    expect(await dying.call('claimPolls', long)).toHaveLength(1);
    expect(await dying.call('claimCards', long)).toHaveLength(2);
    expect(await dying.call('claimInbox', long)).toHaveLength(1);

    // Alive, it holds everything (the leases run for ten minutes of the callers' time).
    const soon = { now: T0 + 1, limit: 5, leaseMs: 60_000 };
    expect(await survivor.claimOrphanedSubmits(soon)).toEqual([]);
    expect(await survivor.claimPolls(soon)).toEqual([]);
    expect(await survivor.claimCards(soon)).toEqual([]);
    expect(await survivor.claimInbox(soon)).toEqual([]);
    expect(await survivor.nextPollAt()).toBe(T0 + TEN_MIN);

    await dying.kill();
    const killed = Date.now();
    await expect
      .poll(async () => (await survivor.claimOrphanedSubmits(soon)).map((j) => j.id), { timeout: 5000 })
      .toEqual([submitting!.id]);
    // Its timeout (1.5 s) on the database's clock, not the ten minutes its leases said.
    expect(Date.now() - killed).toBeLessThan(4000);
    expect(await survivor.nextPollAt()).toBe(T0);
    expect((await survivor.claimPolls(soon)).map((j) => j.id)).toEqual([running!.id]);
    expect(await survivor.claimCards(soon)).toHaveLength(2);
    expect((await survivor.claimInbox(soon)).map((i) => i.id)).toEqual(['om_left']);
    // Now they are the survivor's.
    const later = { ...soon, now: T0 + 2 };
    expect(await survivor.claimOrphanedSubmits(later)).toEqual([]);
    expect(await survivor.claimPolls(later)).toEqual([]);
  }, 20_000);

  it('a replica that closes frees its claims at once; a live one keeps its submits across the other’s restarts', async () => {
    const url = await cluster.createDatabase();
    const a = await open(url);
    let b = await open(url);
    for (let i = 0; i < 2; i++) await a.createJob(draft({ prompt: `p${i}` }), POLICY, { now: T0 });
    const [kept] = await a.claimSubmits({ now: T0, accounts: MAIN, limit: 1, leaseMs: TEN_MIN });
    const [left] = await b.claimSubmits({ now: T0, accounts: MAIN, limit: 1, leaseMs: TEN_MIN });
    expect(await b.claimCards({ now: T0, limit: 5, leaseMs: TEN_MIN })).toHaveLength(2);
    await b.close();
    b = await open(url);
    const soon = { now: T0 + 1, limit: 5, leaseMs: 60_000 };
    expect((await b.claimOrphanedSubmits(soon)).map((j) => j.id)).toEqual([left!.id]);
    expect(await b.claimCards(soon)).toHaveLength(2);
    expect((await b.jobsIn(['submitting'])).map((j) => j.id).sort()).toEqual([kept!.id, left!.id].sort());
    expect(await b.claimOrphanedSubmits({ ...soon, now: T0 + 2 })).toEqual([]);
  });

  it('a card send overtaken by another replica bumps the card, so it is sent again as the job stands', async () => {
    const url = await cluster.createDatabase();
    const a = await open(url);
    const b = await open(url);
    const r = await a.createJob(draft(), POLICY, { now: T0 });
    if (!r.ok) throw new Error('refused');
    const id = r.job.id;
    // a claims the card (version 1) and freezes in its send past the lease.
    expect((await a.claimCards({ now: T0, limit: 5, leaseMs: 1000 }))[0]?.card.version).toBe(1);
    await b.transition(id, { from: ['queued'], card: true }, T0 + 500);
    const [taken] = await b.claimCards({ now: T0 + 1000, limit: 5, leaseMs: 1000 });
    expect(taken?.card.version).toBe(2);
    expect(await b.cardSent(id, { ok: true, version: 2, messageId: 'om_c' }, T0 + 1100)).toMatchObject({
      card: { version: 2, sent: 2 },
    });
    expect(await b.claimCards({ now: T0 + 1101, limit: 5, leaseMs: 1000 })).toEqual([]);
    // a's version 1 may have landed over version 2: the card is behind again.
    expect((await a.cardSent(id, { ok: true, version: 1 }, T0 + 1200))?.card).toEqual({
      messageId: 'om_c',
      version: 3,
      sent: 2,
    });
    const [again] = await a.claimCards({ now: T0 + 1201, limit: 5, leaseMs: 1000 });
    expect(again?.card).toMatchObject({ version: 3, sent: 2 });
    // A replica's own sends in turn never bump (the common case).
    expect((await a.cardSent(id, { ok: true, version: 3 }, T0 + 1300))?.card).toMatchObject({
      version: 3,
      sent: 3,
    });
  });
});

describe('one Jimeng call budget across replicas', () => {
  let sim: JimengSimulator;
  afterEach(() => sim?.close());

  it('calls from two replicas at 2 QPS shared leave 1/QPS apart: no 50429', async () => {
    sim = await startJimengSimulator({ accessKeyId: 'AKPACE', secretAccessKey: 'sk', qps: 2 });
    const url = await cluster.createDatabase();
    const stores = [await open(url), await open(url)];
    // Each client's own budget allows 2 QPS; alone, the two would send 4 a second.
    const clients = stores.map(
      (s) =>
        new JimengClient({
          accessKeyId: 'AKPACE',
          secretAccessKey: 'sk',
          endpoint: sim.url,
          qps: 2,
          retries: 0,
          pacer: s.callPacer('AKPACE', 2),
        }),
    );
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => clients[i % 2]!.getResult(`t${i}`, 'jimeng_t2v_v30')),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill('not_found'));
    expect(sim.stats.qpsLimited).toBe(0);
    const at = sim.calls.map((c) => c.at).sort((x, y) => x - y);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(500);
    // 7 gaps of 550 ms (1/QPS with 10 % headroom).
    expect(Date.now() - started).toBeGreaterThanOrEqual(7 * 550 - 50);
  }, 15_000);

  it('paces this replica alone while the database does not answer', async () => {
    const url = await cluster.createDatabase();
    const s = await open(url);
    const pacer = s.callPacer('AKGONE', 20);
    await s.close();
    const started = Date.now();
    for (let i = 0; i < 4; i++) await pacer.takeCallSlot();
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 55 - 5);
  });
});
