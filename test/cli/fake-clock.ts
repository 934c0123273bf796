/**
 * A fake clock for the CLI and the client: `sleep(ms)` moves time forward at once, running every interval
 * that falls due on the way, in order. Nothing waits for real time.
 */
export interface FakeClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Offset from the start, ms. */
  elapsed(): number;
}

export function fakeClock(start = Date.UTC(2026, 11, 3, 8, 0, 0)): FakeClock {
  let t = start;
  let nextId = 0;
  const timers = new Map<number, { fn: () => void; every: number; due: number }>();
  function advanceTo(target: number) {
    for (;;) {
      let first: [number, { fn: () => void; every: number; due: number }] | undefined;
      for (const entry of timers)
        if (entry[1].due <= target && (!first || entry[1].due < first[1].due)) first = entry;
      if (!first) break;
      t = first[1].due;
      first[1].due += first[1].every;
      first[1].fn();
    }
    t = target;
  }
  return {
    now: () => t,
    setInterval(fn, ms) {
      nextId++;
      timers.set(nextId, { fn, every: ms, due: t + ms });
      return nextId;
    },
    clearInterval(handle) {
      timers.delete(handle as number);
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      advanceTo(t + Math.max(0, ms));
    },
    elapsed: () => t - start,
  };
}
