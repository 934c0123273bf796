/**
 * PgStore against the reference: random sequences of port operations applied to a MemoryStore and, in
 * turn, to two PgStore instances on one database (two replicas taking turns). Every result must equal the
 * memory store's (whole records, toEqual), and so must every read at the end. (What differs between
 * replicas that are different processes, liveness and overtaken card sends, is pg-replicas.test.ts's.)
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { QuotaPolicy, StorePort, SubmitAccount, Transition } from '../../src/store/port.js';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import type { JobState } from '../../src/store/records.js';
import { draft, item, POLICY } from '../contract/store-contract.js';
import { type PgCluster, startPgCluster } from '../helpers/pg-cluster.js';

const T0 = Date.UTC(2026, 11, 3, 2);
const STATES: JobState[] = ['queued', 'submitting', 'running', 'delivered', 'failed', 'cancelled'];
const DAYS = ['2026-12-02', '2026-12-03'];
const POLICIES: QuotaPolicy[] = [
  { ...POLICY, userDailyVideos: 5, maxInFlightPerUser: 4, dailyBudgetYuan: 40 },
  { ...POLICY, userDailyVideos: 2, chatDailyVideos: 3, maxInFlightPerUser: 2, dailyBudgetYuan: 12 },
];
const ACCOUNTS: SubmitAccount[][] = [
  [{ name: 'main', maxInFlight: 2 }],
  [
    { name: 'one', maxInFlight: 1 },
    { name: 'two', maxInFlight: 2, models: ['jimeng_t2v_v30'] },
  ],
];

/** Transitions the jobs layer makes, by index; `x` varies times and counts. */
const TRANSITIONS: ((now: number, x: number) => Transition)[] = [
  () => ({ from: ['queued'], to: 'cancelled', charge: 'refund', card: true }),
  (now, x) => ({
    from: ['submitting'],
    to: 'running',
    set: { taskId: `t${x}`, submittedAt: now - x, nextPollAt: now + x * 10 },
    charge: 'consume',
    card: true,
  }),
  (now, x) => ({ from: ['submitting'], to: 'queued', set: { retryAt: now + x * 10, busyRetries: x } }),
  (now, x) => ({ from: ['running'], set: { polls: x, nextPollAt: now + x * 5 }, release: 'poll' }),
  (_, x) => ({ from: ['running'], set: { videoUrl: `https://v/${x}.mp4`, delivery: { attempts: 0 } } }),
  (now, x) => ({
    from: ['running'],
    set: { delivery: { attempts: 1, nextAt: now + x } },
    release: 'delivery',
  }),
  () => ({ from: ['running'], to: 'delivered', charge: 'deliver', card: true }),
  (_, x) => ({
    from: ['submitting', 'running'],
    to: 'failed',
    charge: x % 2 ? 'refund' : 'refund_uncertain',
    error: { code: 'TASK_FAILED', retryable: x % 3 === 0, detail: `d${x}` },
    card: true,
  }),
  (now) => ({ from: ['failed', 'cancelled', 'delivered'], set: { answeredAt: now } }),
  () => ({ from: STATES, set: { taskId: undefined, retryAt: undefined } }),
];

type Op =
  | { k: 'tick'; ms: number }
  | { k: 'accept'; id: number }
  | { k: 'claimInbox'; limit: number; lease: number; max?: number }
  | { k: 'failInbox' | 'finishInbox'; id: number }
  | {
      k: 'create';
      user: number;
      chat: number;
      day: number;
      cost: number;
      policy: number;
      inbox?: number;
      img: boolean;
    }
  | { k: 'claimSubmits'; limit: number; accounts: number; lease?: number }
  | { k: 'transition'; i: number; t: number; x: number; id?: string }
  | {
      k: 'claimPolls' | 'claimDeliveries' | 'claimCards' | 'claimOrphanedSubmits';
      limit: number;
      lease: number;
    }
  | { k: 'cardSent'; i: number; ok: boolean; version: number; retry: number }
  | { k: 'admin'; a: number; user: number; n: number }
  | { k: 'read'; r: number; i: number; user: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 3000 }) }),
  },
  fc.record({ k: fc.constant('accept' as const), id: fc.nat(6) }),
  fc.record(
    {
      k: fc.constant('claimInbox' as const),
      limit: fc.integer({ min: 1, max: 3 }),
      lease: fc.nat(2000),
      max: fc.integer({ min: 1, max: 3 }),
    },
    { requiredKeys: ['k', 'limit', 'lease'] },
  ),
  fc.record({ k: fc.constantFrom('failInbox' as const, 'finishInbox' as const), id: fc.nat(6) }),
  fc.record(
    {
      k: fc.constant('create' as const),
      user: fc.nat(2),
      chat: fc.nat(1),
      day: fc.nat(1),
      cost: fc.constantFrom(3, 2.5, 3.33, 6),
      policy: fc.nat(1),
      inbox: fc.nat(6),
      img: fc.boolean(),
    },
    { requiredKeys: ['k', 'user', 'chat', 'day', 'cost', 'policy', 'img'] },
  ),
  {
    weight: 2,
    arbitrary: fc.record(
      {
        k: fc.constant('claimSubmits' as const),
        limit: fc.integer({ min: 1, max: 3 }),
        accounts: fc.nat(1),
        lease: fc.nat(4000),
      },
      { requiredKeys: ['k', 'limit', 'accounts'] },
    ),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('transition' as const),
      i: fc.nat(20),
      t: fc.nat(TRANSITIONS.length - 1),
      x: fc.nat(9),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constantFrom(
        'claimPolls' as const,
        'claimDeliveries' as const,
        'claimCards' as const,
        'claimOrphanedSubmits' as const,
      ),
      limit: fc.integer({ min: 1, max: 3 }),
      lease: fc.nat(2000),
    }),
  },
  fc.record({
    k: fc.constant('cardSent' as const),
    i: fc.nat(20),
    ok: fc.boolean(),
    version: fc.integer({ min: 1, max: 4 }),
    retry: fc.nat(2000),
  }),
  fc.record({ k: fc.constant('admin' as const), a: fc.nat(4), user: fc.nat(2), n: fc.nat(3) }),
  fc.record({ k: fc.constant('read' as const), r: fc.nat(6), i: fc.nat(20), user: fc.nat(2) }),
);

/** Applies one operation to a store and returns what it answered. */
async function apply(s: StorePort, o: Op, now: number, ids: readonly string[]): Promise<unknown> {
  const id = (i: number) => ids[i % Math.max(1, ids.length)] ?? 'J0000';
  const user = (n: number) => `ou_${n}`;
  switch (o.k) {
    case 'tick':
      return undefined;
    case 'accept':
      return s.accept(item(`om_${o.id}`, now));
    case 'claimInbox':
      return s.claimInbox({
        now,
        limit: o.limit,
        leaseMs: o.lease,
        ...(o.max ? { maxAttempts: o.max } : {}),
      });
    case 'failInbox':
      return s.failInbox(`om_${o.id}`);
    case 'finishInbox':
      return s.finishInbox(`om_${o.id}`);
    case 'create': {
      const images = o.img ? [new Uint8Array([o.user, o.chat, 7])] : undefined;
      const d = draft({
        sourceId: `om_src${ids.length}`,
        userOpenId: user(o.user),
        chatId: `oc_${o.chat}`,
        day: DAYS[o.day]!,
        costYuan: o.cost,
        reqKey: o.cost === 6 ? 'jimeng_t2v_v30_1080p' : 'jimeng_t2v_v30',
        ...(images ? { images: [{ messageId: 'om_i', imageKey: 'k', width: 2, height: 3 }] } : {}),
      });
      return s.createJob(d, POLICIES[o.policy]!, {
        now,
        ...(o.inbox !== undefined ? { inboxId: `om_${o.inbox}` } : {}),
        ...(images ? { images } : {}),
      });
    }
    case 'claimSubmits':
      return s.claimSubmits({
        now,
        accounts: ACCOUNTS[o.accounts]!,
        limit: o.limit,
        ...(o.lease !== undefined ? { leaseMs: o.lease } : {}),
      });
    case 'transition':
      return s.transition(o.id ?? id(o.i), TRANSITIONS[o.t]!(now, o.x), now);
    case 'claimPolls':
    case 'claimDeliveries':
    case 'claimCards':
    case 'claimOrphanedSubmits':
      return s[o.k]({ now, limit: o.limit, leaseMs: o.lease });
    case 'cardSent':
      return s.cardSent(
        id(o.i),
        o.ok
          ? { ok: true, version: o.version, messageId: `om_card${o.version}` }
          : { ok: false, retryAt: now + o.retry },
        now,
      );
    case 'admin': {
      const actions = [
        { kind: 'quota_set', user: user(o.user), perDay: o.n + 1 },
        { kind: 'quota_add', user: user(o.user), n: o.n, day: DAYS[o.n % 2]! },
        { kind: 'quota_chat', n: o.n },
        { kind: 'pause', reason: `r${o.n}` },
        { kind: 'resume' },
      ] as const;
      return s.admin(actions[o.a]!, 'ou_admin', POLICIES[0]!, now);
    }
    case 'read':
      switch (o.r) {
        case 0:
          return s.quotaState({ user: user(o.user), chat: `oc_${o.user % 2}`, day: DAYS[o.i % 2]! });
        case 1:
          return s.queuePosition(id(o.i));
        case 2:
          return s.jobsOfUser(user(o.user), 3);
        case 3:
          return s.nextPollAt();
        case 4:
          return (await s.jobImages(id(o.i))).map((b) => [...b]);
        case 5:
          return s.inFlight(user(o.user));
        default:
          return s.job(id(o.i).toLowerCase());
      }
  }
}

/**
 * Mostly (x < 8) a job still in flight and a transition its state allows (the reference says which), so
 * sequences reach polls and deliveries; otherwise any job and any transition (mostly refused by the guard).
 */
async function fitting(o: Op, mem: StorePort, now: number): Promise<Op> {
  if (o.k !== 'transition' || o.x >= 8) return o;
  const active = await mem.jobsIn(['queued', 'submitting', 'running']);
  const job = active[o.i % Math.max(1, active.length)];
  if (!job) return o;
  // Cancelling, failing and clearing end a job's way early: only now and then (x < 2).
  const ending = o.x < 2 ? [] : [0, 7, 9];
  const fits = TRANSITIONS.flatMap((t, i) =>
    t(now, 0).from.includes(job.state) && !ending.includes(i) ? [i] : [],
  );
  // A queued job moves on by a claim.
  if (!fits.length) return { k: 'claimSubmits', limit: 2, accounts: o.x % 2 };
  return { ...o, id: job.id, t: fits[o.t % fits.length]! };
}

/** Everything a store can be asked, for the final comparison. */
async function everything(s: StorePort) {
  return {
    jobs: await s.jobsIn(STATES),
    counts: await s.jobCounts(),
    ledger: await s.ledgerSince(0),
    admin: await s.adminLogSince(0),
    paused: await s.paused(),
    nextPoll: await s.nextPollAt(),
    quota: await Promise.all(
      [0, 1, 2].flatMap((u) =>
        DAYS.map((day) => s.quotaState({ user: `ou_${u}`, chat: `oc_${u % 2}`, day })),
      ),
    ),
  };
}

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(() => cluster?.stop());

describe('PgStore matches the in-memory reference', () => {
  it('answers every random sequence of operations as MemoryStore does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 40, maxLength: 80 }),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        async (ops, sides) => {
          let now = T0;
          const mem = new MemoryStore({ now: () => now });
          const url = await cluster.createDatabase();
          // Two pools taking turns as one logical process (one replica id): the reference is one process.
          const one = { sweepEveryMs: 0, replica: { id: 'model' }, now: () => now };
          const replicas = [await PgStore.open({ url, ...one }), await PgStore.open({ url, ...one })];
          try {
            const ids: string[] = [];
            for (const [n, o] of ops.entries()) {
              if (o.k === 'tick') now += o.ms;
              const o2 = await fitting(o, mem, now);
              const want = await apply(mem, o2, now, ids);
              const got = await apply(replicas[sides[n] ? 1 : 0]!, o2, now, ids);
              expect(got, `op ${n}: ${JSON.stringify(o)}`).toEqual(want);
              const created = want as { ok?: boolean; job?: { id: string } };
              if (o.k === 'create' && created.ok && created.job) ids.push(created.job.id);
            }
            expect(await everything(replicas[0]!)).toEqual(await everything(mem));
          } finally {
            await Promise.all(replicas.map((r) => r.close()));
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 60_000);
});
