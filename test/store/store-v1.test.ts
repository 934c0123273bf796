import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { consume, refund, reserve } from '../../src/bot/quota.js';
import type { IncomingMessage } from '../../src/lark/types.js';
import type { Job } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';

const opened: Store[] = [];
/** Store.open, remembering the store so its journal is closed after the test. */
async function openStore(options: Parameters<typeof Store.open>[0]): Promise<Store> {
  const store = await Store.open(options);
  opened.push(store);
  return store;
}
afterEach(async () => {
  while (opened.length) await abandon(opened.pop()!);
});

const dir = () => mkdtempSync(join(tmpdir(), 'store-'));

function job(store: Store, over: Partial<Job> = {}): Job {
  const id = store.nextJobId();
  return {
    id,
    messageId: `om_${id}`,
    chatId: 'oc_1',
    chatType: 'group',
    userOpenId: 'ou_1',
    prompt: 'p',
    tier: '720p',
    reqKey: 'jimeng_t2v_v30',
    duration: 5,
    state: 'queued',
    day: '2026-11-24',
    costYuan: 3,
    charge: 'reserved',
    busyRetries: 0,
    polls: 0,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

describe('Store', () => {
  it('group-commits: many concurrent changes, every one on disk, far fewer writes', async () => {
    const d = dir();
    const store = await openStore({ dir: d });
    const commits: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      store.addJob(job(store));
      store.markSeen(`om_${i}`);
      commits.push(store.commit());
    }
    await Promise.all(commits);
    expect(store.writes).toBeLessThanOrEqual(3);
    const onDisk = await Store.inspect({ dir: d });
    expect(onDisk.jobs).toHaveLength(200);
    expect(Object.keys(onDisk.seen)).toHaveLength(200);
    // A change after the burst is written by a fresh commit.
    store.update(store.jobs()[0]!, { state: 'running' });
    await store.commit();
    const reopened = await openStore({ dir: d });
    expect(reopened.jobs()).toHaveLength(200);
    expect(reopened.job('J0001')?.state).toBe('running');
    expect(reopened.markSeen('om_5')).toBe(false);
    expect(reopened.markSeen('om_new')).toBe(true);
  });

  it('moves finished jobs beyond the retention to an append-only archive; active ones stay', async () => {
    const d = dir();
    let now = 1_000_000;
    const store = await openStore({ dir: d, finishedJobs: 10, now: () => now });
    for (let i = 0; i < 50; i++) store.addJob(job(store, { state: 'delivered', updatedAt: now }));
    const active = job(store, { state: 'running' });
    store.addJob(active);
    now += 120_000;
    await store.commit();
    await new Promise((r) => setTimeout(r, 50));
    expect(store.jobs()).toHaveLength(11);
    expect(store.job(active.id)).toBe(active);
    const archive = readFileSync(join(d, 'jobs-archive.jsonl'), 'utf8').trim().split('\n');
    expect(archive).toHaveLength(40);
    expect(JSON.parse(archive[0]!).id).toBe('J0001');
  });

  it('counts active jobs per user as states change, and the same after a crash and restart', async () => {
    const d = dir();
    const store = await openStore({ dir: d });
    for (const over of [
      { userOpenId: 'ou_a' },
      { userOpenId: 'ou_a', state: 'running' as const },
      { userOpenId: 'ou_b' },
      { userOpenId: 'ou_a', state: 'delivered' as const },
    ])
      store.addJob(job(store, over));
    const counts = (s: Store) => ['ou_a', 'ou_b', 'ou_c'].map((u) => s.activeJobCount(u));
    expect(counts(store)).toEqual([2, 1, 0]);
    store.update(store.job('J0001')!, { state: 'submitting' });
    expect(counts(store)).toEqual([2, 1, 0]);
    store.update(store.job('J0002')!, { state: 'delivered' });
    store.update(store.job('J0003')!, { state: 'cancelled' });
    expect(counts(store)).toEqual([1, 0, 0]);
    await store.commit();
    await abandon(store);
    expect(counts(await openStore({ dir: d }))).toEqual([1, 0, 0]);
  });

  it('forgets dedup entries after the window, not before (Feishu re-pushes for ~7 h)', async () => {
    let now = 0;
    const store = await openStore({ dir: dir(), dedupHours: 24, now: () => now });
    store.markSeen('om_a');
    now = 8 * 3_600_000;
    await store.commit();
    expect(store.markSeen('om_a')).toBe(false);
    now = 25 * 3_600_000 + 61_000;
    await store.commit();
    expect(store.markSeen('om_a')).toBe(true);
  });

  it('removes a job image file', async () => {
    const d = dir();
    const store = await openStore({ dir: d });
    const j = job(store);
    const file = store.imagePath(j.id);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'x');
    j.image = { messageId: 'om', imageKey: 'img', file, width: 1, height: 1 };
    await store.removeImage(j);
    expect(existsSync(file)).toBe(false);
  });
});

/**
 * A crashed process does no more I/O: let the abandoned store's background snapshot (if one is being
 * written) settle so it cannot race the new one, and close its journal without writing anything.
 * (A crash in the middle of a snapshot is covered file by file in its own test.)
 */
async function abandon(store: Store): Promise<void> {
  const inner = store as unknown as { snapshotting: Promise<void> | null; journal?: FileHandle };
  await inner.snapshotting;
  await inner.journal?.close();
}

describe('Store journal', () => {
  const plain = (s: Store) => JSON.parse(JSON.stringify(s.data));

  it('a crash (no close) loses nothing committed; a torn last line is dropped and the store goes on', async () => {
    const d = dir();
    const store = await openStore({ dir: d });
    const a = job(store);
    store.addJob(a);
    const T = Date.now();
    reserve(store.data, a, T);
    store.markSeen('om_a');
    store.addToInbox({ messageId: 'om_in' } as IncomingMessage);
    await store.commit();
    store.update(a, { state: 'running', taskId: 't1' });
    consume(store.data, a, T + 1);
    store.removeFromInbox('om_in');
    store.data.paused = { reason: 'maintenance', by: 'ou_admin', at: T + 2 };
    store.data.adminLog.push({ by: 'ou_admin', action: 'pause', detail: '', at: T + 2 });
    await store.commit();
    const committed = plain(store);
    // The process dies while appending the next commit.
    appendFileSync(join(d, 'state.journal'), '{"n":99,"j":[{"id":"J00');

    const reopened = await openStore({ dir: d });
    expect(plain(reopened)).toEqual(committed);
    expect(reopened.job(a.id)).toMatchObject({ state: 'running', taskId: 't1', charge: 'consumed' });
    expect(reopened.data.ledger).toEqual([expect.objectContaining({ jobId: a.id, outcome: 'charged' })]);
    expect(reopened.data.usage['2026-11-24']?.users.ou_1).toBe(1);
    expect(reopened.inbox()).toEqual([]);
    expect(reopened.markSeen('om_a')).toBe(false);
    // The open folded everything into a snapshot; new commits append to a clean journal.
    expect(readFileSync(join(d, 'state.journal'), 'utf8')).toBe('');
    reopened.update(reopened.job(a.id)!, { state: 'delivered' });
    await reopened.commit();
    expect((await Store.inspect({ dir: d })).jobs[0]?.state).toBe('delivered');
  });

  it('a crash while a snapshot is being written: the old journal and the new one are both replayed', async () => {
    const d = dir();
    const store = await openStore({ dir: d });
    const a = job(store);
    store.addJob(a);
    await store.commit();
    store.update(a, { state: 'running', taskId: 't1' });
    await store.commit();
    const expected = plain(store);
    // As if the process died after rotating the journal and before the new snapshot was in place.
    const [first, second] = readFileSync(join(d, 'state.journal'), 'utf8').trim().split('\n');
    writeFileSync(join(d, 'state.journal.1'), `${first}\n`);
    writeFileSync(join(d, 'state.journal'), `${second}\n`);
    expect(await Store.inspect({ dir: d })).toEqual(expected);
    // And after the snapshot landed but before the old journal was deleted: nothing applied twice.
    const reopened = await openStore({ dir: d });
    expect(plain(reopened)).toEqual(expected);
    writeFileSync(join(d, 'state.journal.1'), `${first}\n${second}\n`);
    expect(await Store.inspect({ dir: d })).toEqual(expected);
    expect(existsSync(join(d, 'state.journal.1'))).toBe(true);
    await openStore({ dir: d });
    expect(existsSync(join(d, 'state.journal.1'))).toBe(false);
  });

  it('appends only what changed, and folds the journal into a snapshot once it outgrows it', async () => {
    const d = dir();
    const store = await openStore({ dir: d, compactBytes: 256 * 1024 });
    for (let i = 0; i < 50; i++) store.addJob(job(store, { prompt: 'x'.repeat(500) }));
    await store.commit();
    const before = statSync(join(d, 'state.journal')).size;
    store.update(store.jobs()[7]!, { polls: 1 });
    await store.commit();
    const line = readFileSync(join(d, 'state.journal'), 'utf8').slice(before);
    expect(JSON.parse(line).j.map((j: Job) => j.id)).toEqual([store.jobs()[7]!.id]);
    expect(line.length).toBeLessThan(1_000); // one job, not the 50

    const snapshots = store.snapshots;
    for (let i = 0; i < 3_000; i++) {
      store.update(store.jobs()[i % 50]!, { polls: i });
      await store.commit();
    }
    expect(store.snapshots).toBeGreaterThan(snapshots);
    expect(statSync(join(d, 'state.journal')).size).toBeLessThan(400 * 1024);
    expect(await Store.inspect({ dir: d })).toEqual(plain(store));
    await store.close();
    expect(readFileSync(join(d, 'state.journal'), 'utf8')).toBe('');
    expect(JSON.parse(readFileSync(join(d, 'state.json'), 'utf8'))).toEqual(plain(store));
  });

  it('random changes, commits and crashes: a restart always reads exactly what was committed', async () => {
    type Op =
      | { k: 'add' }
      | { k: 'update'; i: number; polls: number }
      | { k: 'seen'; id: number }
      | { k: 'inbox'; id: number }
      | { k: 'uninbox'; i: number }
      | { k: 'refund'; i: number }
      | { k: 'admin'; n: number }
      | { k: 'commit' }
      | { k: 'crash' };
    const op = fc.oneof(
      fc.constant<Op>({ k: 'add' }),
      fc.record({ k: fc.constant('update' as const), i: fc.nat(40), polls: fc.nat(100) }),
      fc.record({ k: fc.constant('seen' as const), id: fc.nat(30) }),
      fc.record({ k: fc.constant('inbox' as const), id: fc.nat(30) }),
      fc.record({ k: fc.constant('uninbox' as const), i: fc.nat(10) }),
      fc.record({ k: fc.constant('refund' as const), i: fc.nat(40) }),
      fc.record({ k: fc.constant('admin' as const), n: fc.nat(5) }),
      fc.constant<Op>({ k: 'commit' }),
      fc.constant<Op>({ k: 'crash' }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const d = dir();
        // A tiny compaction threshold, so snapshots (and crashes around them) happen all the time.
        const opts = { dir: d, compactBytes: 2048 };
        let store = await openStore(opts);
        let committed = plain(store);
        for (const o of ops) {
          const jobs = store.jobs();
          if (o.k === 'add') {
            const j = job(store);
            store.addJob(j);
            reserve(store.data, j, Date.now());
          } else if (o.k === 'update' && jobs.length) {
            store.update(jobs[o.i % jobs.length]!, { polls: o.polls, state: 'running' });
          } else if (o.k === 'refund' && jobs.length) {
            const j = jobs[o.i % jobs.length]!;
            refund(store.data, j, Date.now());
            store.update(j, { state: 'failed' });
          } else if (o.k === 'seen') store.markSeen(`om_${o.id}`);
          else if (o.k === 'inbox') store.addToInbox({ messageId: `om_i${o.id}` } as IncomingMessage);
          else if (o.k === 'uninbox' && store.inbox().length)
            store.removeFromInbox(store.inbox()[o.i % store.inbox().length]!.messageId);
          else if (o.k === 'admin') {
            store.data.userLimits[`ou_${o.n}`] = o.n;
            store.data.adminLog.push({
              by: 'ou_admin',
              action: 'quota set',
              detail: String(o.n),
              at: Date.now(),
            });
          } else if (o.k === 'commit') {
            await store.commit();
            committed = plain(store);
          } else if (o.k === 'crash') {
            await abandon(store); // uncommitted changes are lost
            store = await openStore(opts);
            expect(plain(store)).toEqual(committed);
          }
        }
        await store.commit();
        expect(await Store.inspect({ dir: d })).toEqual(plain(store));
      }),
      { numRuns: 60 },
    );
  });
});
