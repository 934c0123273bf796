import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';

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
    const store = await Store.open({ dir: d });
    const commits: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      store.addJob(job(store));
      store.markSeen(`om_${i}`);
      commits.push(store.commit());
    }
    await Promise.all(commits);
    expect(store.writes).toBeLessThanOrEqual(3);
    const onDisk = JSON.parse(readFileSync(join(d, 'state.json'), 'utf8'));
    expect(onDisk.jobs).toHaveLength(200);
    expect(Object.keys(onDisk.seen)).toHaveLength(200);
    // A change after the burst is written by a fresh commit.
    store.jobs()[0]!.state = 'running';
    await store.commit();
    const reopened = await Store.open({ dir: d });
    expect(reopened.jobs()).toHaveLength(200);
    expect(reopened.job('J0001')?.state).toBe('running');
    expect(reopened.markSeen('om_5')).toBe(false);
    expect(reopened.markSeen('om_new')).toBe(true);
  });

  it('moves finished jobs beyond the retention to an append-only archive; active ones stay', async () => {
    const d = dir();
    let now = 1_000_000;
    const store = await Store.open({ dir: d, finishedJobs: 10, now: () => now });
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

  it('forgets dedup entries after the window, not before (Feishu re-pushes for ~7 h)', async () => {
    let now = 0;
    const store = await Store.open({ dir: dir(), dedupHours: 24, now: () => now });
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
    const store = await Store.open({ dir: d });
    const j = job(store);
    const file = store.imagePath(j.id);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'x');
    j.image = { messageId: 'om', imageKey: 'img', file, width: 1, height: 1 };
    await store.removeImage(j);
    expect(existsSync(file)).toBe(false);
  });
});
