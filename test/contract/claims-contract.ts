/**
 * The storage port's contract for claims held by a process (every store: memory, file, PostgreSQL): a
 * claimed submit is leased to its submitter, a submit whose submitter is gone is handed out as orphaned
 * (once), and closing a store ends the claims its process held. Called from storeContract.
 */
import { expect, it } from 'vitest';
import { type StorePort, SUBMIT_LEASE_MS } from '../../src/store/port.js';
import { DAY, draft, item, POLICY } from './store-contract.js';

const T0 = Date.UTC(2026, 11, 3, 2, 0, 0);
const POLICY20 = { ...POLICY, userDailyVideos: 20 };
const MAIN = [{ name: 'main', maxInFlight: 5 }];

export function claimsContract(
  open: () => Promise<StorePort>,
  /** Closes the store and opens the same data (durable stores); undefined for the others. */
  reopen: (() => Promise<StorePort>) | undefined,
) {
  it('leases each claimed submit to its submitter; one whose lease ran out is handed out as orphaned, once', async () => {
    const s = await open();
    for (let i = 0; i < 3; i++) await s.createJob(draft({ prompt: `s${i}` }), POLICY20, { now: T0 + i });
    const claimed = await s.claimSubmits({ now: T0, accounts: MAIN, limit: 2, leaseMs: 1000 });
    expect(claimed.map((j) => j.prompt)).toEqual(['s0', 's1']);
    expect(await s.claimOrphanedSubmits({ now: T0 + 999, limit: 5, leaseMs: 5000 })).toEqual([]);
    // A submit that ended (running, back in the queue, failed) is no one's orphan.
    await s.transition(claimed[0]!.id, { from: ['submitting'], to: 'running', set: { taskId: 't' } }, T0 + 1);
    const orphans = await s.claimOrphanedSubmits({ now: T0 + 1000, limit: 5, leaseMs: 5000 });
    expect(orphans.map((j) => j.id)).toEqual([claimed[1]!.id]);
    expect(orphans[0]).toMatchObject({ state: 'submitting', account: 'main', prompt: 's1' });
    // The caller holds it now: no one else is handed it until that lease runs out too.
    expect(await s.claimOrphanedSubmits({ now: T0 + 5999, limit: 5, leaseMs: 5000 })).toEqual([]);
    expect(await s.claimOrphanedSubmits({ now: T0 + 6000, limit: 5, leaseMs: 5000 })).toHaveLength(1);
    await s.transition(
      claimed[1]!.id,
      { from: ['submitting'], to: 'failed', charge: 'refund_uncertain', error: { code: 'SUBMIT_UNCERTAIN' } },
      T0 + 6001,
    );
    expect(await s.claimOrphanedSubmits({ now: T0 + 99_000, limit: 5, leaseMs: 5000 })).toEqual([]);
    // Without leaseMs a submit is held for SUBMIT_LEASE_MS.
    const [third] = await s.claimSubmits({ now: T0 + 10, accounts: MAIN, limit: 5 });
    expect(third?.prompt).toBe('s2');
    const late = { limit: 5, leaseMs: 1 };
    expect(await s.claimOrphanedSubmits({ now: T0 + 9 + SUBMIT_LEASE_MS, ...late })).toEqual([]);
    expect(await s.claimOrphanedSubmits({ now: T0 + 10 + SUBMIT_LEASE_MS, ...late })).toHaveLength(1);
    expect((await s.quotaState({ user: 'ou_alice', chat: 'oc_1', day: DAY })).used).toBe(2);
  });

  it('accepts a delivery already claimed by its handler; one message never makes two jobs', async () => {
    const s = await open();
    expect(await s.accept(item('om_mine'), { now: T0, leaseMs: 1000 })).toBe(true);
    await s.accept(item('om_free'));
    expect((await s.claimInbox({ now: T0 + 999, limit: 5, leaseMs: 1000 })).map((i) => i.id)).toEqual([
      'om_free',
    ]);
    expect((await s.claimInbox({ now: T0 + 1000, limit: 5, leaseMs: 1000 })).map((i) => i.id)).toEqual([
      'om_mine',
    ]);
    // Two handlers of one message (a lease that ran out under a slow one): one job, the other is told.
    const both = await Promise.all(
      [0, 1].map(() => s.createJob(draft({ sourceId: 'om_mine' }), POLICY, { now: T0, inboxId: 'om_mine' })),
    );
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok)).toEqual([{ ok: false, handledElsewhere: true }]);
    expect(await s.createJob(draft(), POLICY, { now: T0, inboxId: 'om_never' })).toEqual({
      ok: false,
      handledElsewhere: true,
    });
    expect(await s.quotaState({ user: 'ou_alice', chat: 'oc_1', day: DAY })).toMatchObject({ used: 1 });
    expect(await s.jobsIn(['queued'])).toHaveLength(1);
  });

  if (reopen)
    it('ends the claims of the process that closed it: reopened, its submits are orphans and its work is free', async () => {
      let s = await open();
      for (let i = 0; i < 2; i++) await s.createJob(draft({ prompt: `p${i}` }), POLICY20, { now: T0 + i });
      const [submitting, polled] = await s.claimSubmits({
        now: T0,
        accounts: MAIN,
        limit: 2,
        leaseMs: 60_000,
      });
      await s.transition(
        polled!.id,
        { from: ['submitting'], to: 'running', set: { taskId: 't', nextPollAt: T0 } },
        T0,
      );
      const long = { now: T0 + 1, limit: 5, leaseMs: 60_000 };
      expect(await s.claimPolls(long)).toHaveLength(1);
      expect(await s.claimCards(long)).toHaveLength(2);
      s = await reopen();
      const soon = { now: T0 + 2, limit: 5, leaseMs: 60_000 };
      expect((await s.claimOrphanedSubmits(soon)).map((j) => j.id)).toEqual([submitting!.id]);
      expect((await s.claimPolls(soon)).map((j) => j.id)).toEqual([polled!.id]);
      expect(await s.claimCards(soon)).toHaveLength(2);
      expect(await s.nextPollAt()).toBeGreaterThan(T0 + 2);
    });
}
