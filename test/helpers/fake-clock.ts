import type { Clock, TimerHandle } from '../../src/clock.js';

/**
 * A Clock that only moves when told: `advance(ms)` runs every timer that falls due on the way, in time
 * order, letting promises settle between them. Nothing waits for real time.
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 11, 3, 2, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return { id } as TimerHandle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete((handle as { id: number }).id);
  }

  /** Moves time forward by `ms`, firing due timers in order (and what they schedule, if due). */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await settle();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= target && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = target;
    await settle();
  }

  /** Timers waiting, soonest first (ms from now). */
  pending(): number[] {
    return [...this.timers.values()].map((e) => e.at - this.t).sort((a, b) => a - b);
  }
}

/** Lets queued promise callbacks and I/O already done run (a few macrotask turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
