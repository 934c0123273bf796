/**
 * The card action handler alone, on the in-memory store and fake time: what a click makes, refuses or
 * changes, where the whole sandbox would need real waiting (the double-click window, the day rolling).
 */
import { describe, expect, it } from 'vitest';
import { type CardActionOptions, takeCardAction } from '../../src/bot/card-actions.js';
import { dayOf } from '../../src/bot/day-of.js';
import { presenterFor } from '../../src/bot/presenter.js';
import { TEXTS } from '../../src/bot/texts/index.js';
import { defaultCatalog } from '../../src/jimeng/model-catalog.js';
import type { CardAction } from '../../src/lark/events.js';
import { silentLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { Job } from '../../src/store/records.js';
import { draft, POLICY } from '../contract/store-contract.js';
import { FakeClock } from '../helpers/fake-clock.js';

const TZ = 'Asia/Shanghai';

async function world(policy = POLICY) {
  const clock = new FakeClock(Date.UTC(2026, 11, 3, 2, 0, 0));
  const store = new MemoryStore({ now: () => clock.now() });
  let changes = 0;
  const o: CardActionOptions = {
    store,
    texts: TEXTS.zh,
    presenter: presenterFor(TEXTS.zh, defaultCatalog),
    catalog: defaultCatalog,
    policy,
    timezone: TZ,
    admins: ['ou_admin'],
    log: silentLogger,
    now: () => clock.now(),
    later: (fn, ms) => {
      clock.setTimeout(fn, ms);
    },
    random: () => 0.5,
    onChange: () => {
      changes++;
    },
  };
  const day = () => dayOf(clock.now(), TZ);
  const r = await store.createJob(draft({ day: day(), seed: 7 }), policy, { now: clock.now() });
  if (!r.ok) throw new Error('refused');
  const delivered = (await store.transition(
    r.job.id,
    { from: ['queued'], to: 'delivered' },
    clock.now(),
  )) as Job;
  let n = 0;
  const click = (value: Record<string, unknown>, over: Partial<CardAction> = {}) =>
    takeCardAction(o, {
      eventId: `ev_${++n}`,
      operatorOpenId: 'ou_bob',
      value,
      messageId: 'om_card',
      chatId: 'oc_1',
      createTime: clock.now(),
      ...over,
    });
  return { clock, store, source: delivered ?? r.job, click, changes: () => changes, day };
}

describe('card actions on the in-memory store', () => {
  it('a re-delivered callback (same event id) is answered once; nothing happens the second time', async () => {
    const w = await world();
    const first = await w.click({ action: 'reroll', job: w.source.id }, { eventId: 'ev_same' });
    const again = await w.click({ action: 'reroll', job: w.source.id }, { eventId: 'ev_same' });
    expect(first?.toast?.type).toBe('success');
    expect(again).toBeNull();
    expect((await w.store.jobsOfUser('ou_bob', 10)).length).toBe(1);
    expect(w.changes()).toBe(1);
  });

  it('the double-click window: a second click within 10 s makes nothing, one after it a new job', async () => {
    const w = await world();
    await w.click({ action: 'reroll', job: w.source.id });
    await w.clock.advance(9_000);
    const dup = await w.click({ action: 'reroll', job: w.source.id });
    expect(dup?.toast?.content).toMatch(/不会重复生成/);
    expect(await w.store.jobsOfUser('ou_bob', 10)).toHaveLength(1);
    await w.clock.advance(2_000);
    const later = await w.click({ action: 'reroll', job: w.source.id });
    expect(later?.toast?.type).toBe('success');
    const made = await w.store.jobsOfUser('ou_bob', 10);
    expect(made).toHaveLength(2);
    // Each its own seed; the bot picks them (never -1).
    for (const j of made) expect(j.seed).toBeGreaterThanOrEqual(0);
  });

  it('the pressed card is put back after the double-click window, persisted (a restart meanwhile keeps it)', async () => {
    const w = await world();
    const answer = await w.click({ action: 'reroll', job: w.source.id });
    expect(JSON.stringify(answer?.card?.data)).toContain('再来一个 · 已加入队列');
    // Marked in the store at once: the next version, not to be sent before the window ends.
    const marked = (await w.store.job(w.source.id))!;
    expect(marked.card.version).toBe(w.source.card.version + 1);
    expect(marked.card.retryAt).toBe(w.clock.now() + 10_000);
    const cardsDue = async () =>
      (await w.store.claimCards({ now: w.clock.now(), limit: 10, leaseMs: 1_000 })).map((j) => j.id);
    await w.clock.advance(9_999);
    expect(await cardsDue()).not.toContain(w.source.id);
    const changesBefore = w.changes();
    await w.clock.advance(1);
    // The card owner is woken when it is due, and the source's card is then handed to it.
    expect(w.changes()).toBe(changesBefore + 1);
    expect(await cardsDue()).toContain(w.source.id);
  });

  it('variants of a video not finished yet are refused; a fast second click after the first is done says so', async () => {
    const w = await world();
    const r = await w.store.createJob(draft({ day: w.day() }), POLICY, { now: w.clock.now() });
    if (!r.ok) throw new Error('refused');
    expect((await w.click({ action: 'reroll', job: r.job.id }))?.toast?.content).toBe(
      '视频生成好以后才能用这个按钮',
    );
    await w.click({ action: 'reroll', job: w.source.id });
    const made = (await w.store.jobsOfUser('ou_bob', 10))[0]!;
    await w.store.transition(made.id, { from: ['queued'], to: 'delivered' }, w.clock.now());
    expect((await w.click({ action: 'reroll', job: w.source.id }))?.toast?.content).toBe(
      `刚才已经点过了，任务 ${made.id} 已经生成好了`,
    );
  });

  it('another button, or another user, within the window is not a double click', async () => {
    const w = await world();
    await w.click({ action: 'reroll', job: w.source.id });
    await w.click({ action: 'long', job: w.source.id });
    await w.click({ action: 'reroll', job: w.source.id }, { operatorOpenId: 'ou_carol' });
    expect((await w.store.jobsOfUser('ou_bob', 10)).map((j) => j.origin?.action).sort()).toEqual([
      'long',
      'reroll',
    ]);
    expect(await w.store.jobsOfUser('ou_carol', 10)).toHaveLength(1);
  });

  it('a click is charged to the clicker’s day: refused at the quota, allowed again the next day', async () => {
    const w = await world({ ...POLICY, userDailyVideos: 1 });
    await w.click({ action: 'reroll', job: w.source.id });
    await w.clock.advance(20_000);
    const refused = await w.click({ action: 'hd', job: w.source.id });
    expect(refused?.toast).toMatchObject({ type: 'warning' });
    expect(refused?.toast?.content).toContain('（1/1）');
    await w.clock.advance(24 * 3600_000);
    const nextDay = await w.click({ action: 'hd', job: w.source.id });
    expect(nextDay?.toast?.type).toBe('success');
    const hd = (await w.store.jobsOfUser('ou_bob', 10)).find((j) => j.origin?.action === 'hd')!;
    expect(hd).toMatchObject({ day: w.day(), seed: 7, reqKey: 'jimeng_t2v_v30_1080p', costYuan: 4 });
  });

  it('unknown actions, missing jobs and a queued job’s 取消 by a stranger change nothing', async () => {
    const w = await world();
    expect((await w.click({ action: 'explode', job: w.source.id }))?.toast?.type).toBe('info');
    expect((await w.click({ action: 'reroll', job: 'J9ZZZ' }))?.toast?.content).toMatch(/J9ZZZ 已不存在/);
    expect((await w.click({ action: 'reroll' }))?.toast?.content).toMatch(/已不存在/);
    const r = await w.store.createJob(draft({ day: w.day() }), POLICY, { now: w.clock.now() });
    if (!r.ok) throw new Error('refused');
    expect((await w.click({ action: 'cancel', job: r.job.id }))?.toast?.content).toBe('只能取消自己的任务。');
    expect((await w.store.job(r.job.id))?.state).toBe('queued');
    const byAdmin = await w.click({ action: 'cancel', job: r.job.id }, { operatorOpenId: 'ou_admin' });
    expect(byAdmin?.toast?.type).toBe('success');
    expect(await w.store.job(r.job.id)).toMatchObject({ state: 'cancelled', charge: 'refunded' });
    expect(w.changes()).toBe(1);
  });
});
