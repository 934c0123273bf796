import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateBudget } from '../../src/jimeng/rate-budget.js';
import { backoffDelay, withRetry } from '../../src/jimeng/retry.js';

/** A virtual clock: sleep() resolves when advance() passes its deadline. No real waiting. */
function virtualClock() {
  let t = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => t,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push({ at: t + ms, resolve });
      }),
    /** Runs every timer in order, letting promise chains settle between them. */
    async runAll() {
      for (let guard = 0; guard < 10_000; guard++) {
        await new Promise((r) => setImmediate(r));
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) return;
        t = Math.max(t, next.at);
        next.resolve();
      }
    },
  };
}

describe('RateBudget call slots', () => {
  it('never lets more than qps calls start in any 1 s window, however many callers wait', async () => {
    const clock = virtualClock();
    const budget = new RateBudget({ qps: 2, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    const all = Promise.all(
      Array.from({ length: 25 }, () => budget.call(async () => void starts.push(clock.now()))),
    );
    await clock.runAll();
    await all;
    expect(starts).toHaveLength(25);
    for (const s of starts)
      expect(starts.filter((x) => x >= s && x < s + 1000).length).toBeLessThanOrEqual(2);
    expect(budget.stats().callsMade).toBe(25);
  });

  it('supports fractional qps (one call every 2 s, plus 10 % headroom for jitter)', async () => {
    const clock = virtualClock();
    const budget = new RateBudget({ qps: 0.5, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    const all = Promise.all(
      Array.from({ length: 4 }, () => budget.call(async () => void starts.push(clock.now()))),
    );
    await clock.runAll();
    await all;
    expect(starts).toEqual([0, 2200, 4400, 6600]);
  });

  it('works on real timers with default options (outcome only)', async () => {
    const budget = new RateBudget({ qps: 50 });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => budget.call(async () => void starts.push(Date.now()))));
    expect(starts).toHaveLength(5);
  });
});

describe('RateBudget task slots', () => {
  it('limits tasks in flight and hands slots out FIFO', async () => {
    const budget = new RateBudget({ maxConcurrent: 2 });
    const a = await budget.acquireTask();
    const b = await budget.acquireTask();
    expect(budget.tryAcquireTask()).toBeUndefined();
    const order: string[] = [];
    const c = budget.acquireTask().then((s) => {
      order.push('c');
      return s;
    });
    const d = budget.acquireTask().then((s) => {
      order.push('d');
      return s;
    });
    expect(budget.stats()).toMatchObject({ tasksInFlight: 2, tasksWaiting: 2 });
    a.release();
    a.release(); // idempotent
    const cs = await c;
    expect(order).toEqual(['c']);
    expect(budget.tasksInFlight).toBe(2);
    b.release();
    await d;
    expect(order).toEqual(['c', 'd']);
    cs.release();
    expect(budget.tasksInFlight).toBe(1);
  });

  it('drops a waiter whose signal aborts', async () => {
    const budget = new RateBudget({ maxConcurrent: 1 });
    const held = await budget.acquireTask();
    const ac = new AbortController();
    const waiting = budget.acquireTask(ac.signal);
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    expect(budget.tasksWaiting).toBe(0);
    held.release();
    expect(budget.tasksInFlight).toBe(0);
  });

  it('withTask releases on error', async () => {
    const budget = new RateBudget({ maxConcurrent: 1 });
    await expect(budget.withTask(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(budget.tasksInFlight).toBe(0);
  });
});

describe('backoff and retry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('jitters within [step/2, step] and caps at maxMs', () => {
    expect(backoffDelay(0, { baseMs: 1000, random: () => 0 })).toBe(500);
    expect(backoffDelay(0, { baseMs: 1000, random: () => 0.999999 })).toBe(1000);
    expect(backoffDelay(3, { baseMs: 1000, random: () => 0.5 })).toBe(6000);
    expect(backoffDelay(20, { baseMs: 1000, maxMs: 8000, random: () => 1 })).toBe(8000);
  });

  it('retries until success, with growing delays', async () => {
    const delays: number[] = [];
    let n = 0;
    const p = withRetry(
      async () => {
        n++;
        if (n < 3) throw new Error('transient');
        return 'ok';
      },
      { retries: 5, shouldRetry: () => true, random: () => 0.5, onRetry: (_e, _a, d) => delays.push(d) },
    );
    await vi.runAllTimersAsync();
    await expect(p).resolves.toBe('ok');
    expect(delays).toEqual([750, 1500]);
  });

  it('stops when shouldRetry says no or retries run out', async () => {
    let n = 0;
    const p = withRetry(
      async () => {
        n++;
        throw new Error('x');
      },
      { retries: 2, shouldRetry: () => true },
    );
    p.catch(() => {});
    await vi.runAllTimersAsync();
    await expect(p).rejects.toThrow('x');
    expect(n).toBe(3);
  });
});

describe('RateBudget lanes: submits and polls take turns', () => {
  it('a burst of submits does not hold back polls asked for later: they take turns, each lane in order', async () => {
    const clock = virtualClock();
    const budget = new RateBudget({ qps: 1, now: clock.now, sleep: clock.sleep });
    const order: string[] = [];
    const calls = [
      ...Array.from({ length: 6 }, (_, i) =>
        budget.call(async () => void order.push(`s${i}`), undefined, 'submit'),
      ),
    ];
    await new Promise((r) => setImmediate(r));
    calls.push(...[0, 1].map((i) => budget.call(async () => void order.push(`p${i}`), undefined, 'poll')));
    await clock.runAll();
    await Promise.all(calls);
    // s0 has left and s1 waits at the pacer when the polls arrive; then two polls for each submit.
    expect(order).toEqual(['s0', 's1', 'p0', 'p1', 's2', 's3', 's4', 's5']);
  });

  it('the pace holds across lanes (one call per 1/qps, 10 % headroom)', async () => {
    const clock = virtualClock();
    const budget = new RateBudget({ qps: 1, now: clock.now, sleep: clock.sleep });
    const at: number[] = [];
    const calls = Array.from({ length: 8 }, (_, i) =>
      budget.call(async () => void at.push(clock.now()), undefined, i % 3 ? 'poll' : 'submit'),
    );
    await clock.runAll();
    await Promise.all(calls);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1100);
  });

  it('a waiter aborted in its lane is dropped and the others go on', async () => {
    const clock = virtualClock();
    const budget = new RateBudget({ qps: 1, now: clock.now, sleep: clock.sleep });
    const order: string[] = [];
    const ac = new AbortController();
    const a = budget.call(async () => void order.push('s0'), undefined, 'submit');
    const b = budget.call(async () => void order.push('s1'), ac.signal, 'submit');
    const c = budget.call(async () => void order.push('p0'), undefined, 'poll');
    const refused = expect(b).rejects.toMatchObject({ code: 'ABORTED' });
    ac.abort();
    await clock.runAll();
    await refused;
    await Promise.all([a, c]);
    expect(order).toEqual(['s0', 'p0']);
  });
});
