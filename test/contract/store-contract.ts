/**
 * The storage port's contract: every store (memory, file, PostgreSQL) must pass these. Each store's test
 * file calls `storeContract` with a factory; `reopen` (for durable stores) closes and opens the same data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JobDraft, QuotaPolicy, StorePort } from '../../src/store/port.js';
import type { InboxItem } from '../../src/store/records.js';
import { claimsContract } from './claims-contract.js';

export interface ContractStore {
  store: StorePort;
  /** Closes the store and opens the same data again (durable stores only). */
  reopen?: () => Promise<StorePort>;
  cleanup?: () => Promise<void>;
}

export const POLICY: QuotaPolicy = {
  userDailyVideos: 3,
  chatDailyVideos: 0,
  dailyBudgetYuan: 100,
  maxInFlightPerUser: 10,
};
export const DAY = '2026-12-03';
const T0 = Date.UTC(2026, 11, 3, 2, 0, 0);

export function draft(over: Partial<JobDraft> = {}): JobDraft {
  return {
    sourceId: `om_${Math.random().toString(16).slice(2)}`,
    messageId: 'om_msg',
    chatId: 'oc_1',
    chatType: 'group',
    userOpenId: 'ou_alice',
    prompt: '橘猫打哈欠',
    tier: '720p',
    reqKey: 'jimeng_t2v_v30',
    duration: 5,
    ratio: '16:9',
    seed: 42,
    day: DAY,
    costYuan: 3,
    ...over,
  };
}

export const item = (id: string, at = T0): InboxItem => ({
  id,
  kind: 'message',
  receivedAt: at,
  payload: { text: id },
});
const ACCOUNT = [{ name: 'main', maxInFlight: 2 }];

/**
 * `make(now)` builds the store with `now` as its own clock (retention): the contract's records are dated
 * around T0, and a store on the wall clock would prune them as old once T0 is a day or two past.
 */
export function storeContract(
  name: string,
  make: (now: () => number) => Promise<ContractStore>,
  durable = true,
): void {
  describe(`storage port contract: ${name}`, () => {
    let cs: ContractStore;
    let s: StorePort;
    const open = async () => {
      cs = await make(() => T0);
      s = cs.store;
      return s;
    };
    afterEach(async () => {
      await s?.close();
      await cs?.cleanup?.();
    });
    claimsContract(
      open,
      durable
        ? async () => {
            if (!cs.reopen) throw new Error('a durable store needs reopen()');
            s = await cs.reopen();
            return s;
          }
        : undefined,
    );

    it('accepts a delivery once; of racing accepts of one key exactly one wins', async () => {
      await open();
      expect(await s.accept(item('om_1'))).toBe(true);
      expect(await s.accept(item('om_1'))).toBe(false);
      const race = await Promise.all(Array.from({ length: 8 }, () => s.accept(item('om_2'))));
      expect(race.filter(Boolean)).toHaveLength(1);
      const inbox = await s.claimInbox({ now: T0, limit: 10, leaseMs: 1000 });
      expect(inbox.map((i) => i.id)).toEqual(['om_1', 'om_2']);
      expect(inbox[0]).toMatchObject({ kind: 'message', payload: { text: 'om_1' } });
    });

    it('leases inbox items, hands them out again when the lease ends, and sets poison aside', async () => {
      await open();
      await s.accept(item('om_a'));
      await s.accept(item('om_b'));
      expect(await s.claimInbox({ now: T0, limit: 1, leaseMs: 1000 })).toHaveLength(1);
      expect((await s.claimInbox({ now: T0, limit: 10, leaseMs: 1000 })).map((i) => i.id)).toEqual(['om_b']);
      expect(await s.claimInbox({ now: T0 + 500, limit: 10, leaseMs: 1000 })).toHaveLength(0);
      expect(await s.claimInbox({ now: T0 + 1001, limit: 10, leaseMs: 1000 })).toHaveLength(2);
      await s.finishInbox('om_a');
      await s.finishInbox('om_a');
      await s.failInbox('om_b');
      await s.failInbox('om_b');
      const again = await s.claimInbox({ now: T0 + 1002, limit: 10, leaseMs: 1000, maxAttempts: 3 });
      expect(again.map((i) => [i.id, i.attempts])).toEqual([['om_b', 2]]);
      await s.failInbox('om_b');
      expect(await s.claimInbox({ now: T0 + 5000, limit: 10, leaseMs: 1000, maxAttempts: 3 })).toEqual([]);
    });

    it('creates a job with its reservation and takes its inbox item out in the same step', async () => {
      await open();
      await s.accept(item('om_v'));
      const r = await s.createJob(draft({ sourceId: 'om_v' }), POLICY, { now: T0, inboxId: 'om_v' });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.job).toMatchObject({
        state: 'queued',
        charge: 'reserved',
        polls: 0,
        card: { version: 1, sent: 0 },
      });
      expect(r.job.id).toMatch(/^J[0-9A-Z]{4,}$/);
      expect(await s.claimInbox({ now: T0, limit: 10, leaseMs: 1 })).toEqual([]);
      expect(await s.quotaState({ user: 'ou_alice', chat: 'oc_1', day: DAY })).toMatchObject({
        used: 1,
        chatUsed: 1,
        spentYuan: 3,
        inFlight: 1,
        paused: null,
      });
      expect(await s.ledgerSince(T0)).toEqual([
        expect.objectContaining({
          jobId: r.job.id,
          user: 'ou_alice',
          outcome: 'reserved',
          yuan: 3,
          seconds: 5,
        }),
      ]);
      expect(await s.job(r.job.id)).toEqual(r.job);
      expect(await s.job(r.job.id.toLowerCase())).toEqual(r.job);
    });

    it('refuses by quota without changing anything: user, chat, budget, in flight, pause', async () => {
      await open();
      await s.accept(item('om_x'));
      for (let i = 0; i < 3; i++) expect((await s.createJob(draft(), POLICY, { now: T0 })).ok).toBe(true);
      const r = await s.createJob(draft(), POLICY, { now: T0, inboxId: 'om_x' });
      expect(r).toEqual({ ok: false, refusal: { code: 'USER_DAILY', limit: 3, used: 3 } });
      expect((await s.claimInbox({ now: T0, limit: 5, leaseMs: 1 })).map((i) => i.id)).toEqual(['om_x']);
      const bob = { userOpenId: 'ou_bob' };
      expect(await s.createJob(draft(bob), { ...POLICY, chatDailyVideos: 3 }, { now: T0 })).toEqual({
        ok: false,
        refusal: { code: 'CHAT_DAILY', limit: 3, used: 3 },
      });
      expect(await s.createJob(draft({ ...bob, costYuan: 98 }), POLICY, { now: T0 })).toEqual({
        ok: false,
        refusal: { code: 'BUDGET', budget: 100, spent: 9, cost: 98 },
      });
      expect(
        await s.createJob(draft(), { ...POLICY, userDailyVideos: 9, maxInFlightPerUser: 3 }, { now: T0 }),
      ).toEqual({
        ok: false,
        refusal: { code: 'IN_FLIGHT', limit: 3 },
      });
      await s.admin({ kind: 'pause', reason: '月底盘点' }, 'ou_admin', POLICY, T0);
      expect(await s.createJob(draft(bob), POLICY, { now: T0 })).toEqual({
        ok: false,
        refusal: { code: 'PAUSED', reason: '月底盘点' },
      });
      expect(await s.quotaState({ user: 'ou_bob', chat: 'oc_2', day: DAY })).toMatchObject({
        used: 0,
        inFlight: 0,
      });
      expect(await s.ledgerSince(0)).toHaveLength(3);
    });

    it('of racing job creations no more pass than the quota allows', async () => {
      await open();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          s.createJob(draft({ sourceId: `om_r${i}` }), POLICY, { now: T0 }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect((await s.quotaState({ user: 'ou_alice', chat: 'oc_1', day: DAY })).used).toBe(3);
    });

    it('changes a job only by a guarded transition, with its charge effects', async () => {
      await open();
      const r = await s.createJob(draft(), POLICY, { now: T0 });
      if (!r.ok) throw new Error('refused');
      const id = r.job.id;
      expect(await s.transition(id, { from: ['running'], to: 'delivered' }, T0)).toBeUndefined();
      expect(await s.transition('J9999', { from: ['queued'], to: 'failed' }, T0)).toBeUndefined();
      const [claimed] = await s.claimSubmits({ now: T0, accounts: ACCOUNT, limit: 5 });
      expect(claimed).toMatchObject({ id, state: 'submitting', account: 'main' });
      const running = await s.transition(
        id,
        {
          from: ['submitting'],
          to: 'running',
          set: { taskId: 't1', submittedAt: T0 + 1 },
          charge: 'consume',
          card: true,
        },
        T0 + 1,
      );
      expect(running).toMatchObject({
        state: 'running',
        charge: 'consumed',
        taskId: 't1',
        card: { version: 2 },
      });
      expect((await s.ledgerSince(0))[0]?.outcome).toBe('charged');
      // Two racing transitions from one state: one wins.
      const race = await Promise.all([
        s.transition(
          id,
          { from: ['running'], to: 'failed', charge: 'refund', error: { code: 'TASK_FAILED' } },
          T0 + 2,
        ),
        s.transition(
          id,
          { from: ['running'], to: 'failed', charge: 'refund', error: { code: 'TASK_FAILED' } },
          T0 + 2,
        ),
      ]);
      expect(race.filter(Boolean)).toHaveLength(1);
      expect(await s.job(id)).toMatchObject({
        state: 'failed',
        charge: 'refunded',
        error: { code: 'TASK_FAILED' },
      });
      expect(await s.quotaState({ user: 'ou_alice', chat: 'oc_1', day: DAY })).toMatchObject({
        used: 0,
        chatUsed: 0,
        spentYuan: 0,
        inFlight: 0,
      });
      expect((await s.ledgerSince(0))[0]?.outcome).toBe('refunded');
      // Setting undefined clears a field.
      await s.transition(id, { from: ['failed'], set: { taskId: undefined } }, T0 + 3);
      expect((await s.job(id))?.taskId).toBeUndefined();
    });

    it('keeps a job’s images until it leaves submitting', async () => {
      await open();
      const bytes = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
      const img = { messageId: 'om_img', imageKey: 'img_1', width: 640, height: 480 };
      const r = await s.createJob(draft({ images: [img, { ...img, imageKey: 'img_2' }] }), POLICY, {
        now: T0,
        images: bytes,
      });
      if (!r.ok) throw new Error('refused');
      expect((await s.jobImages(r.job.id)).map((b) => [...b])).toEqual([
        [1, 2, 3],
        [4, 5],
      ]);
      await s.claimSubmits({ now: T0, accounts: ACCOUNT, limit: 1 });
      expect(await s.jobImages(r.job.id)).toHaveLength(2);
      await s.transition(r.job.id, { from: ['submitting'], to: 'running', set: { taskId: 't' } }, T0);
      await expect.poll(async () => (await s.jobImages(r.job.id)).length).toBe(0);
    });

    it('hands queued jobs to accounts with free slots, fairly between users, and never beyond the limits', async () => {
      await open();
      const policy = { ...POLICY, userDailyVideos: 20 };
      for (let i = 0; i < 4; i++) await s.createJob(draft({ prompt: `a${i}` }), policy, { now: T0 + i });
      await s.createJob(draft({ userOpenId: 'ou_bob', prompt: 'b0' }), policy, { now: T0 + 10 });
      await s.createJob(
        draft({ reqKey: 'jimeng_t2v_v30_1080p', userOpenId: 'ou_carol', prompt: 'c0' }),
        policy,
        { now: T0 + 11 },
      );
      const accounts = [
        { name: 'one', maxInFlight: 1 },
        { name: 'two', maxInFlight: 2, models: ['jimeng_t2v_v30'] },
      ];
      const first = await s.claimSubmits({ now: T0 + 20, accounts, limit: 10 });
      // Alice's oldest, then Bob (fewest at Jimeng), then Carol's 1080p job can only go to "one".
      expect(first.map((j) => [j.prompt, j.account])).toEqual([
        ['a0', 'one'],
        ['b0', 'two'],
        ['a1', 'two'],
      ]);
      expect(await s.claimSubmits({ now: T0 + 20, accounts, limit: 10 })).toEqual([]);
      // "one" grows to three slots: two free. Two racing claims take two jobs between them, no more.
      const wider = [{ ...accounts[0]!, maxInFlight: 3 }, accounts[1]!];
      const racing = await Promise.all([
        s.claimSubmits({ now: T0 + 21, accounts: wider, limit: 10 }),
        s.claimSubmits({ now: T0 + 21, accounts: wider, limit: 10 }),
      ]);
      expect(
        racing
          .flat()
          .map((j) => j.prompt)
          .sort(),
      ).toEqual(['a2', 'c0']);
      const queued = await s.jobsIn(['queued']);
      expect(queued.map((j) => j.prompt)).toEqual(['a3']);
      expect(await s.queuePosition(queued[0]!.id)).toBe(1);
      expect(await s.queuePosition(first[0]!.id)).toBe(0);
      // A job told "busy" waits for its retryAt.
      await s.transition(queued[0]!.id, { from: ['queued'], set: { retryAt: T0 + 99 } }, T0 + 22);
      expect(
        await s.claimSubmits({ now: T0 + 98, accounts: [{ name: 'x', maxInFlight: 9 }], limit: 10 }),
      ).toEqual([]);
      expect(
        await s.claimSubmits({ now: T0 + 99, accounts: [{ name: 'x', maxInFlight: 9 }], limit: 10 }),
      ).toHaveLength(1);
    });

    it('claims due polls oldest-submitted first, leased, and tells when the next one is due', async () => {
      await open();
      const policy = { ...POLICY, userDailyVideos: 20 };
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await s.createJob(draft({ prompt: `p${i}` }), policy, { now: T0 });
        if (r.ok) ids.push(r.job.id);
      }
      await s.claimSubmits({ now: T0, accounts: [{ name: 'main', maxInFlight: 3 }], limit: 3 });
      const at = [T0 + 3000, T0 + 1000, T0 + 2000];
      for (const [i, id] of ids.entries())
        await s.transition(
          id,
          {
            from: ['submitting'],
            to: 'running',
            set: { taskId: `t${i}`, submittedAt: at[i], nextPollAt: T0 + 5000 },
          },
          T0,
        );
      expect(await s.nextPollAt()).toBe(T0 + 5000);
      expect(await s.claimPolls({ now: T0 + 4999, limit: 5, leaseMs: 10_000 })).toEqual([]);
      const due = await s.claimPolls({ now: T0 + 5000, limit: 2, leaseMs: 10_000 });
      expect(due.map((j) => j.prompt)).toEqual(['p1', 'p2']);
      expect(
        (await s.claimPolls({ now: T0 + 5001, limit: 5, leaseMs: 10_000 })).map((j) => j.prompt),
      ).toEqual(['p0']);
      expect(await s.claimPolls({ now: T0 + 6000, limit: 5, leaseMs: 10_000 })).toEqual([]);
      await s.transition(
        ids[1]!,
        { from: ['running'], set: { nextPollAt: T0 + 7000, polls: 1 }, release: 'poll' },
        T0 + 6000,
      );
      expect(
        (await s.claimPolls({ now: T0 + 7000, limit: 5, leaseMs: 10_000 })).map((j) => j.prompt),
      ).toEqual(['p1']);
      expect(await s.claimPolls({ now: T0 + 16_000, limit: 5, leaseMs: 10_000 })).toHaveLength(2);
    });

    it('claims deliveries and card updates, and records card sends', async () => {
      await open();
      const r = await s.createJob(draft(), POLICY, { now: T0 });
      if (!r.ok) throw new Error('refused');
      const id = r.job.id;
      const cards = await s.claimCards({ now: T0, limit: 5, leaseMs: 5000 });
      expect(cards.map((j) => j.id)).toEqual([id]);
      expect(await s.claimCards({ now: T0 + 1, limit: 5, leaseMs: 5000 })).toEqual([]);
      expect(await s.cardSent(id, { ok: true, version: 1, messageId: 'om_card' }, T0 + 2)).toMatchObject({
        card: { messageId: 'om_card', version: 1, sent: 1 },
      });
      expect(await s.claimCards({ now: T0 + 3, limit: 5, leaseMs: 5000 })).toEqual([]);
      await s.transition(id, { from: ['queued'], card: true }, T0 + 4);
      await s.claimCards({ now: T0 + 5, limit: 5, leaseMs: 5000 });
      await s.cardSent(id, { ok: false, retryAt: T0 + 1000 }, T0 + 6);
      expect(await s.claimCards({ now: T0 + 999, limit: 5, leaseMs: 5000 })).toEqual([]);
      expect(await s.claimCards({ now: T0 + 1000, limit: 5, leaseMs: 5000 })).toHaveLength(1);
      // `sent` only moves forward.
      await s.cardSent(id, { ok: true, version: 2 }, T0 + 1001);
      await s.cardSent(id, { ok: true, version: 1 }, T0 + 1002);
      expect((await s.job(id))?.card).toEqual({ messageId: 'om_card', version: 2, sent: 2 });
      // A card to send again later (a pressed button put back): persisted, not claimed before its time.
      await s.transition(id, { from: ['queued'], card: { after: T0 + 20_000 } }, T0 + 1003);
      expect((await s.job(id))?.card).toMatchObject({ version: 3, sent: 2, retryAt: T0 + 20_000 });
      expect(await s.claimCards({ now: T0 + 19_999, limit: 5, leaseMs: 5000 })).toEqual([]);
      expect(await s.claimCards({ now: T0 + 20_000, limit: 5, leaseMs: 5000 })).toHaveLength(1);
      await s.cardSent(id, { ok: true, version: 3 }, T0 + 20_001);
      expect((await s.job(id))?.card).toEqual({ messageId: 'om_card', version: 3, sent: 3 });

      await s.claimSubmits({ now: T0, accounts: ACCOUNT, limit: 1 });
      await s.transition(id, { from: ['submitting'], to: 'running', set: { taskId: 't' } }, T0);
      expect(await s.claimDeliveries({ now: T0, limit: 5, leaseMs: 5000 })).toEqual([]);
      await s.transition(
        id,
        { from: ['running'], set: { videoUrl: 'https://v/1.mp4', delivery: { attempts: 0 } } },
        T0,
      );
      expect((await s.claimDeliveries({ now: T0, limit: 5, leaseMs: 5000 })).map((j) => j.id)).toEqual([id]);
      expect(await s.claimDeliveries({ now: T0 + 1, limit: 5, leaseMs: 5000 })).toEqual([]);
      await s.transition(
        id,
        { from: ['running'], set: { delivery: { attempts: 1, nextAt: T0 + 9000 } }, release: 'delivery' },
        T0 + 2,
      );
      expect(await s.claimDeliveries({ now: T0 + 8999, limit: 5, leaseMs: 5000 })).toEqual([]);
      expect(await s.claimDeliveries({ now: T0 + 9000, limit: 5, leaseMs: 5000 })).toHaveLength(1);
      await s.transition(id, { from: ['running'], to: 'delivered', charge: 'deliver' }, T0 + 9001);
      expect((await s.ledgerSince(0))[0]?.outcome).toBe('delivered');
    });

    it('answers the reads: a user’s jobs newest first, jobs by state, in-flight counts', async () => {
      await open();
      const policy = { ...POLICY, userDailyVideos: 20 };
      for (let i = 0; i < 3; i++) await s.createJob(draft({ prompt: `p${i}` }), policy, { now: T0 + i });
      await s.createJob(draft({ userOpenId: 'ou_bob' }), policy, { now: T0 + 9 });
      expect((await s.jobsOfUser('ou_alice', 2)).map((j) => j.prompt)).toEqual(['p2', 'p1']);
      expect(await s.jobsIn(['queued'])).toHaveLength(4);
      expect(await s.inFlight('ou_alice')).toBe(3);
      const [j] = await s.jobsOfUser('ou_bob', 1);
      await s.transition(j!.id, { from: ['queued'], to: 'cancelled', charge: 'refund' }, T0 + 10);
      expect(await s.inFlight('ou_bob')).toBe(0);
      expect(await s.jobsIn(['cancelled'])).toHaveLength(1);
      expect(await s.jobCounts()).toEqual({
        queued: 3,
        submitting: 0,
        running: 0,
        delivered: 0,
        failed: 0,
        cancelled: 1,
      });
    });

    it('changes settings by admin action, each logged in the same step', async () => {
      await open();
      const set = await s.admin({ kind: 'quota_set', user: 'ou_bob', perDay: 7 }, 'ou_admin', POLICY, T0);
      expect(set).toMatchObject({
        changed: true,
        entry: { action: 'quota_set', target: 'ou_bob', n: 7, by: 'ou_admin' },
      });
      const add = await s.admin(
        { kind: 'quota_add', user: 'ou_bob', n: 2, day: DAY },
        'ou_admin',
        POLICY,
        T0 + 1,
      );
      expect(add.limitToday).toBe(9);
      await s.admin({ kind: 'quota_chat', n: 20 }, 'ou_admin', POLICY, T0 + 2);
      expect(await s.quotaState({ user: 'ou_bob', chat: 'oc_1', day: DAY })).toMatchObject({
        userLimit: 7,
        extraToday: 2,
        chatLimit: 20,
      });
      expect((await s.admin({ kind: 'resume' }, 'ou_admin', POLICY, T0 + 3)).changed).toBe(false);
      await s.admin({ kind: 'pause', reason: 'r' }, 'ou_admin', POLICY, T0 + 4);
      expect(await s.paused()).toEqual({ reason: 'r', by: 'ou_admin', at: T0 + 4 });
      await s.admin({ kind: 'resume' }, 'ou_admin', POLICY, T0 + 5);
      expect(await s.paused()).toBeNull();
      expect((await s.adminLogSince(T0 + 1)).map((e) => e.action)).toEqual([
        'quota_add',
        'quota_chat',
        'pause',
        'resume',
      ]);
    });

    it('remembers facts about chats, and hands out copies only', async () => {
      await open();
      expect(await s.chatFacts('oc_1')).toEqual({});
      await s.setChatFacts('oc_1', { threadsRefused: true });
      expect(await s.chatFacts('oc_1')).toEqual({ threadsRefused: true });
      const r = await s.createJob(draft(), POLICY, { now: T0 });
      if (!r.ok) throw new Error('refused');
      r.job.prompt = 'changed';
      r.job.card.version = 99;
      expect(await s.job(r.job.id)).toMatchObject({ prompt: '橘猫打哈欠', card: { version: 1 } });
    });

    if (durable)
      it('keeps everything across a reopen', async () => {
        await open();
        if (!cs.reopen) throw new Error('a durable store needs reopen()');
        await s.accept(item('om_keep'));
        const r = await s.createJob(
          draft({ images: [{ messageId: 'm', imageKey: 'k', width: 1, height: 1 }] }),
          POLICY,
          {
            now: T0,
            images: [new Uint8Array([9])],
          },
        );
        if (!r.ok) throw new Error('refused');
        await s.admin({ kind: 'quota_set', user: 'ou_bob', perDay: 4 }, 'ou_admin', POLICY, T0);
        await s.setChatFacts('oc_9', { threadsRefused: true });
        s = await cs.reopen();
        expect(await s.accept(item('om_keep'))).toBe(false);
        expect((await s.claimInbox({ now: T0, limit: 5, leaseMs: 1 })).map((i) => i.id)).toEqual(['om_keep']);
        expect(await s.job(r.job.id)).toEqual(r.job);
        expect((await s.jobImages(r.job.id)).map((b) => [...b])).toEqual([[9]]);
        expect((await s.quotaState({ user: 'ou_bob', chat: 'oc_1', day: DAY })).userLimit).toBe(4);
        expect(await s.chatFacts('oc_9')).toEqual({ threadsRefused: true });
        expect(await s.adminLogSince(0)).toHaveLength(1);
        const next = await s.createJob(draft(), POLICY, { now: T0 });
        expect(next.ok && next.job.id).not.toBe(r.job.id);
      });
  });
}
