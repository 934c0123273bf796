import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, type FileStoreOptions } from '../../src/store/file/file-store.js';
import { StoreError } from '../../src/store/store-error.js';
import { DAY, draft, item, POLICY } from '../contract/store-contract.js';

const opened: FileStore[] = [];
/** On the test's clock unless told otherwise: records are dated around T0, which the wall clock outgrows. */
async function openStore(options: FileStoreOptions): Promise<FileStore> {
  const store = await FileStore.open({ now: () => T0, ...options });
  opened.push(store);
  return store;
}
afterEach(async () => {
  while (opened.length) await abandon(opened.pop()!);
});

const dir = () => mkdtempSync(join(tmpdir(), 'file-store-'));
const T0 = Date.UTC(2026, 11, 3, 2);
const ACCOUNTS = [{ name: 'main', maxInFlight: 100 }];
const policy = { ...POLICY, userDailyVideos: 10_000, maxInFlightPerUser: 10_000, dailyBudgetYuan: 0 };

/**
 * A crashed process does no more I/O: let a background snapshot settle so it cannot race the next open,
 * and close the journal without writing anything.
 */
async function abandon(store: FileStore): Promise<void> {
  const inner = store as unknown as {
    snapshotting: Promise<void> | null;
    journal: { close(): Promise<void> };
  };
  await inner.snapshotting;
  await inner.journal.close();
}

describe('FileStore', () => {
  it('group-commits: a burst of operations shares a few synced appends, every one on disk', async () => {
    const d = dir();
    const store = await openStore({ dir: d });
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      ops.push(store.accept(item(`om_${i}`)));
      ops.push(store.createJob(draft({ sourceId: `om_${i}` }), policy, { now: T0, inboxId: `om_${i}` }));
    }
    await Promise.all(ops);
    expect(store.writes).toBeLessThanOrEqual(4);
    const onDisk = await FileStore.inspect({ dir: d });
    expect(onDisk.jobs).toHaveLength(200);
    expect(Object.keys(onDisk.seen)).toHaveLength(200);
    expect(onDisk.inbox).toEqual([]);
    expect(onDisk).toEqual(store.dump());
  });

  it('moves finished jobs beyond the retention to an append-only archive; active ones stay', async () => {
    const d = dir();
    let now = T0;
    const store = await openStore({ dir: d, retention: { finishedJobs: 10 }, now: () => now });
    for (let i = 0; i < 50; i++) {
      const r = await store.createJob(draft(), policy, { now });
      if (r.ok)
        await store.transition(r.job.id, { from: ['queued'], to: 'cancelled', charge: 'refund' }, now);
    }
    const active = await store.createJob(draft({ prompt: 'active' }), policy, { now });
    now += 120_000;
    await store.setChatFacts('oc_x', {}); // any commit runs retention
    await expect.poll(() => existsSync(join(d, 'jobs-archive.jsonl'))).toBe(true);
    // Archiving folds the journal into a snapshot (in the background); until it lands a restart would
    // replay the archived jobs back in, harmlessly (they are archived again).
    await expect.poll(() => existsSync(join(d, 'state.journal.1'))).toBe(false);
    expect(await store.jobsIn(['cancelled'])).toHaveLength(10);
    expect(active.ok && (await store.job(active.job.id))?.prompt).toBe('active');
    await expect
      .poll(() => readFileSync(join(d, 'jobs-archive.jsonl'), 'utf8').trim().split('\n').length)
      .toBe(40);
    const first = JSON.parse(readFileSync(join(d, 'jobs-archive.jsonl'), 'utf8').split('\n')[0]!);
    expect(first.id).toBe('J0001');
    expect(await FileStore.inspect({ dir: d })).toEqual(store.dump());
  });

  it('a job archived for its age takes its ledger entries past ledgerDays with it, in the same pass', async () => {
    const d = dir();
    let now = T0;
    const store = await openStore({
      dir: d,
      retention: { finishedJobs: 1000, finishedJobDays: 7, ledgerDays: 35 },
      now: () => now,
    });
    const r = await store.createJob(draft(), policy, { now });
    if (!r.ok) throw new Error('refused');
    await store.transition(r.job.id, { from: ['queued'], to: 'cancelled', charge: 'refund' }, now);
    expect((await store.ledgerSince(0)).map((e) => e.jobId)).toContain(r.job.id);
    now += 40 * 86_400_000;
    await store.accept(item('om_later', now)); // the first commit after a minute runs the full pass
    expect(await store.job(r.job.id)).toBeUndefined();
    expect((await store.ledgerSince(0)).map((e) => e.jobId)).not.toContain(r.job.id);
    // The hot file holds neither (it kept the ledger of every archived job until the next pass).
    await expect.poll(async () => (await FileStore.inspect({ dir: d })).ledger).toEqual([]);
  });

  it('forgets dedup keys after the window, not before (Feishu re-pushes for ~7 h)', async () => {
    let now = T0;
    const store = await openStore({ dir: dir(), retention: { dedupHours: 24 }, now: () => now });
    await store.accept(item('om_a', now));
    now += 8 * 3_600_000;
    expect(await store.accept(item('om_a', now))).toBe(false);
    now += 17 * 3_600_000 + 61_000;
    await store.setChatFacts('oc', {});
    expect(await store.accept(item('om_a', now))).toBe(true);
  });

  it('a crash loses nothing acknowledged; a torn last line is dropped and the store goes on', async () => {
    const d = dir();
    const store = await openStore({ dir: d });
    await store.accept(item('om_in'));
    const r = await store.createJob(draft(), policy, { now: T0 });
    if (!r.ok) throw new Error('refused');
    await store.claimSubmits({ now: T0, accounts: ACCOUNTS, limit: 1 });
    await store.transition(
      r.job.id,
      { from: ['submitting'], to: 'running', set: { taskId: 't1' }, charge: 'consume' },
      T0,
    );
    await store.finishInbox('om_in');
    await store.admin({ kind: 'pause', reason: 'maintenance' }, 'ou_admin', POLICY, T0);
    const committed = store.dump();
    await abandon(store);
    // The process died while appending the next commit.
    appendFileSync(join(d, 'state.journal'), '{"n":99,"j":[{"id":"J00');

    const reopened = await openStore({ dir: d });
    expect(reopened.dump()).toEqual(committed);
    expect(await reopened.job(r.job.id)).toMatchObject({
      state: 'running',
      taskId: 't1',
      charge: 'consumed',
    });
    expect(await reopened.ledgerSince(0)).toEqual([
      expect.objectContaining({ jobId: r.job.id, outcome: 'charged' }),
    ]);
    expect((await reopened.quotaState({ user: 'ou_alice', chat: 'oc_1', day: DAY })).used).toBe(1);
    expect(await reopened.paused()).toMatchObject({ reason: 'maintenance' });
    expect(await reopened.accept(item('om_in'))).toBe(false);
    // The open folded everything into a snapshot; new commits append to a clean journal.
    expect(readFileSync(join(d, 'state.journal'), 'utf8')).toBe('');
    await reopened.transition(r.job.id, { from: ['running'], to: 'delivered' }, T0);
    expect((await FileStore.inspect({ dir: d })).jobs[0]?.state).toBe('delivered');
  });

  it('a crash while a snapshot is being written: both journals are replayed, nothing twice', async () => {
    const d = dir();
    const store = await openStore({ dir: d });
    const r = await store.createJob(draft(), policy, { now: T0 });
    if (!r.ok) throw new Error('refused');
    await store.admin({ kind: 'quota_set', user: 'ou_bob', perDay: 3 }, 'ou_admin', POLICY, T0);
    const expected = store.dump();
    await abandon(store);
    // As if the process died after rotating the journal and before the new snapshot was in place.
    const [first, second] = readFileSync(join(d, 'state.journal'), 'utf8').trim().split('\n');
    writeFileSync(join(d, 'state.journal.1'), `${first}\n`);
    writeFileSync(join(d, 'state.journal'), `${second}\n`);
    expect(await FileStore.inspect({ dir: d })).toEqual(expected);
    // And after the snapshot landed but before the old journal was deleted.
    const reopened = await openStore({ dir: d });
    expect(reopened.dump()).toEqual(expected);
    await abandon(reopened);
    writeFileSync(join(d, 'state.journal.1'), `${first}\n${second}\n`);
    expect(await FileStore.inspect({ dir: d })).toEqual(expected);
    expect((await FileStore.inspect({ dir: d })).adminLog).toHaveLength(1);
    await openStore({ dir: d });
    expect(existsSync(join(d, 'state.journal.1'))).toBe(false);
  });

  it('appends only what changed, and folds the journal into a snapshot once it outgrows it', async () => {
    const d = dir();
    const store = await openStore({ dir: d, compactBytes: 256 * 1024 });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await store.createJob(draft({ prompt: 'x'.repeat(500) }), policy, { now: T0 });
      if (r.ok) ids.push(r.job.id);
    }
    const before = statSync(join(d, 'state.journal')).size;
    await store.transition(ids[7]!, { from: ['queued'], set: { polls: 1 } }, T0);
    const line = readFileSync(join(d, 'state.journal'), 'utf8').slice(before);
    expect(JSON.parse(line).j.map((j: { id: string }) => j.id)).toEqual([ids[7]]);
    expect(line.length).toBeLessThan(1_000); // one job, not the 50

    for (let i = 0; i < 3_000; i++)
      await store.transition(ids[i % 50]!, { from: ['queued'], set: { polls: i } }, T0);
    expect(store.snapshots).toBeGreaterThan(0);
    expect(statSync(join(d, 'state.journal')).size).toBeLessThan(400 * 1024);
    expect(await FileStore.inspect({ dir: d })).toEqual(store.dump());
    await store.close();
    expect(readFileSync(join(d, 'state.journal'), 'utf8')).toBe('');
    expect(JSON.parse(readFileSync(join(d, 'state.json'), 'utf8'))).toEqual(store.dump());
  });

  it('random operations and crashes: a restart always reads exactly what was acknowledged', async () => {
    type Op =
      | { k: 'accept'; id: number }
      | { k: 'create'; inbox: number }
      | { k: 'claim' }
      | { k: 'move'; i: number; polls: number }
      | { k: 'refund'; i: number }
      | { k: 'finish'; id: number }
      | { k: 'admin'; n: number }
      | { k: 'card'; i: number }
      | { k: 'crash' };
    const op = fc.oneof(
      fc.record({ k: fc.constant('accept' as const), id: fc.nat(30) }),
      fc.record({ k: fc.constant('create' as const), inbox: fc.nat(30) }),
      fc.constant<Op>({ k: 'claim' }),
      fc.record({ k: fc.constant('move' as const), i: fc.nat(40), polls: fc.nat(100) }),
      fc.record({ k: fc.constant('refund' as const), i: fc.nat(40) }),
      fc.record({ k: fc.constant('finish' as const), id: fc.nat(30) }),
      fc.record({ k: fc.constant('admin' as const), n: fc.nat(5) }),
      fc.record({ k: fc.constant('card' as const), i: fc.nat(40) }),
      fc.constant<Op>({ k: 'crash' }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 50 }), async (ops) => {
        const d = dir();
        // A tiny compaction threshold, so snapshots (and crashes around them) happen all the time.
        const opts = { dir: d, compactBytes: 2048 };
        let store = await openStore(opts);
        const ids: string[] = [];
        const pick = (i: number) => ids[i % Math.max(1, ids.length)];
        for (const o of ops) {
          if (o.k === 'accept') await store.accept(item(`om_${o.id}`));
          else if (o.k === 'create') {
            const r = await store.createJob(draft(), policy, { now: T0, inboxId: `om_${o.inbox}` });
            if (r.ok) ids.push(r.job.id);
          } else if (o.k === 'claim') await store.claimSubmits({ now: T0, accounts: ACCOUNTS, limit: 2 });
          else if (o.k === 'move' && ids.length)
            await store.transition(
              pick(o.i)!,
              { from: ['submitting', 'running'], to: 'running', set: { polls: o.polls } },
              T0,
            );
          else if (o.k === 'refund' && ids.length)
            await store.transition(
              pick(o.i)!,
              { from: ['queued', 'running'], to: 'failed', charge: 'refund' },
              T0,
            );
          else if (o.k === 'finish') await store.finishInbox(`om_${o.id}`);
          else if (o.k === 'admin')
            await store.admin({ kind: 'quota_set', user: `ou_${o.n}`, perDay: o.n }, 'ou_admin', POLICY, T0);
          else if (o.k === 'card' && ids.length)
            await store.cardSent(pick(o.i)!, { ok: true, version: 1, messageId: 'om_c' }, T0);
          else if (o.k === 'crash') {
            const committed = store.dump();
            await abandon(store);
            store = await openStore(opts);
            expect(store.dump()).toEqual(committed);
          }
        }
        expect(await FileStore.inspect({ dir: d })).toEqual(store.dump());
      }),
      { numRuns: 40 },
    );
  });
});

describe('FileStore refuses damaged files and overwrites nothing', () => {
  it('a truncated state.json: one line naming the file, the place and what to do', async () => {
    const d = dir();
    const store = await openStore({ dir: d });
    await store.createJob(draft(), policy, { now: T0 });
    await store.close();
    const good = readFileSync(join(d, 'state.json'), 'utf8');
    const broken = good.slice(0, 31);
    writeFileSync(join(d, 'state.json'), broken);
    const err = await FileStore.open({ dir: d }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    const e = err as StoreError;
    expect(e.code).toBe('STORE_CORRUPT');
    expect(e.message).toContain(join(d, 'state.json'));
    expect(e.message).toMatch(/line 1, column \d+/);
    expect(e.message).toContain('nothing was changed');
    expect(e.message).toMatch(/backup/);
    expect(e.message.split('\n')).toHaveLength(1);
    expect(readFileSync(join(d, 'state.json'), 'utf8')).toBe(broken);
  });

  it('a bad control character (what a torn page looks like) and a damaged journal line', async () => {
    const d = dir();
    writeFileSync(join(d, 'state.json'), '{"version":2,"seq":1,"jobs":[{"id":"J\u0001"}]}');
    await expect(FileStore.open({ dir: d })).rejects.toThrow(
      /state\.json is damaged at line 1, column 38 \(Bad control character in string literal\)/,
    );
    const d2 = dir();
    const s = await openStore({ dir: d2 });
    await s.createJob(draft(), policy, { now: T0 });
    await s.createJob(draft(), policy, { now: T0 });
    await abandon(s);
    const lines = readFileSync(join(d2, 'state.journal'), 'utf8').split('\n');
    writeFileSync(join(d2, 'state.journal'), [lines[0]!.slice(0, 20), ...lines.slice(1)].join('\n'));
    const before = readFileSync(join(d2, 'state.journal'), 'utf8');
    await expect(FileStore.open({ dir: d2 })).rejects.toThrow(
      /state\.journal is damaged at line 1 \(not the last line/,
    );
    expect(readFileSync(join(d2, 'state.journal'), 'utf8')).toBe(before);
  });
});

describe('FileStore reads what version 1 wrote', () => {
  it('migrates jobs, the inbox and the admin log, and keeps a queued job’s image', async () => {
    const d = dir();
    const v1 = {
      version: 1,
      seq: 2,
      jobs: [
        {
          id: 'J0001',
          messageId: 'om_1',
          chatId: 'oc_1',
          chatType: 'group',
          userOpenId: 'ou_alice',
          prompt: 'p',
          tier: '720p',
          reqKey: 'jimeng_i2v_first_v30',
          duration: 5,
          image: {
            messageId: 'om_img',
            imageKey: 'img_1',
            file: join(d, 'images/J0001.img'),
            width: 640,
            height: 480,
          },
          state: 'queued',
          day: DAY,
          costYuan: 3,
          charge: 'reserved',
          busyRetries: 0,
          polls: 0,
          cardMessageId: 'om_card',
          createdAt: T0,
          updatedAt: T0,
        },
      ],
      seen: { om_1: T0 },
      inbox: [{ messageId: 'om_2', chatId: 'oc_1', text: '/help', createTime: T0 }],
      usage: { [DAY]: { users: { ou_alice: 1 }, chats: { oc_1: 1 }, yuan: 3 } },
      userLimits: {},
      extras: {},
      chatLimit: null,
      ledger: [],
      adminLog: [{ by: 'ou_admin', action: 'quota set', detail: 'ou_bob → 5/day', at: T0 }],
      paused: null,
      journalSeq: 0,
    };
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(d, 'images'));
    writeFileSync(join(d, 'images/J0001.img'), Buffer.from([7, 7]));
    writeFileSync(join(d, 'state.json'), JSON.stringify(v1));
    appendFileSync(
      join(d, 'state.journal'),
      `${JSON.stringify({ n: 1, x: ['om_2'], i: [{ messageId: 'om_3', createTime: T0 }] })}\n`,
    );
    const store = await openStore({ dir: d });
    expect(await store.job('J0001')).toMatchObject({
      sourceId: 'om_1',
      images: [{ messageId: 'om_img', imageKey: 'img_1', width: 640, height: 480 }],
      card: { messageId: 'om_card', version: 1, sent: 1 },
    });
    expect((await store.jobImages('J0001')).map((b) => [...b])).toEqual([[7, 7]]);
    expect((await store.claimInbox({ now: T0, limit: 5, leaseMs: 1 })).map((i) => [i.id, i.kind])).toEqual([
      ['om_3', 'message'],
    ]);
    expect(await store.adminLogSince(0)).toEqual([
      { by: 'ou_admin', action: 'quota_set', target: 'ou_bob', n: 5, at: T0 },
    ]);
    expect(JSON.parse(readFileSync(join(d, 'state.json'), 'utf8')).version).toBe(2);
  });
});
