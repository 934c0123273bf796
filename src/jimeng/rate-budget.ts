/**
 * One budget per Jimeng account: every HTTP call (submit and get-result) takes a call slot spaced at least
 * 1/qps seconds after the previous one, however many tasks are waiting; and at most `maxConcurrent`
 * generation tasks are in flight (callers acquire a task slot before submitting, release it at the end).
 */
import { CallLanes } from './call-lanes.js';
import type { CallLane, CallPacer } from './call-pacer.js';
import { abortedError, sleep as realSleep, type Sleep } from './retry.js';

export interface RateBudgetOptions {
  /** HTTP calls per second for the whole account (may be fractional, e.g. 0.5). Default 1. */
  qps?: number;
  /** Generation tasks in flight at once. Default 2. */
  maxConcurrent?: number;
  now?: () => number;
  sleep?: Sleep;
}

export interface TaskSlot {
  /** Gives the slot back; calling it again does nothing. */
  release(): void;
}

interface Waiter {
  resolve: (slot: TaskSlot) => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export interface BudgetStats {
  qps: number;
  maxConcurrent: number;
  tasksInFlight: number;
  tasksWaiting: number;
  callsMade: number;
}

export class RateBudget implements CallPacer {
  readonly qps: number;
  readonly maxConcurrent: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly gapMs: number;
  private nextCallAt = Number.NEGATIVE_INFINITY;
  private inFlight = 0;
  private calls = 0;
  private readonly waiters: Waiter[] = [];
  private readonly lanes = new CallLanes({ takeCallSlot: (signal) => this.pace(signal) });

  constructor(opts: RateBudgetOptions = {}) {
    this.qps = opts.qps ?? 1;
    this.maxConcurrent = Math.max(1, Math.floor(opts.maxConcurrent ?? 2));
    if (!(this.qps > 0)) throw new RangeError(`qps must be > 0, got ${this.qps}`);
    // 10 % headroom: two calls sent exactly 1/qps apart can arrive closer together (network and event-loop
    // jitter), and a sliding-window limiter at the gateway would then answer 50429 for the second.
    this.gapMs = (1000 / this.qps) * 1.1;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
  }

  /**
   * Waits for the next call slot, each 1/qps after the previous one. Submits and polls take turns when
   * both wait (see call-lanes.ts); within a lane, slots go in call order.
   */
  takeCallSlot(signal?: AbortSignal, lane: CallLane = 'poll'): Promise<void> {
    return this.lanes.takeCallSlot(signal, lane);
  }

  /** The pacing itself: the next slot in call order. */
  private async pace(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortedError(signal);
    const now = this.now();
    const at = Math.max(now, this.nextCallAt);
    this.nextCallAt = at + this.gapMs;
    if (at > now) await this.sleep(at - now, signal);
    this.calls++;
  }

  /** Runs `fn` in the next call slot. */
  async call<T>(fn: () => Promise<T>, signal?: AbortSignal, lane: CallLane = 'poll'): Promise<T> {
    await this.takeCallSlot(signal, lane);
    return fn();
  }

  /** A task slot if one is free right now. */
  tryAcquireTask(): TaskSlot | undefined {
    if (this.inFlight >= this.maxConcurrent || this.waiters.length > 0) return undefined;
    return this.grant();
  }

  /** Waits (FIFO) for a task slot. */
  acquireTask(signal?: AbortSignal): Promise<TaskSlot> {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    const slot = this.tryAcquireTask();
    if (slot) return Promise.resolve(slot);
    return new Promise<TaskSlot>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(abortedError(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  /** Runs `fn` holding a task slot. */
  async withTask<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const slot = await this.acquireTask(signal);
    try {
      return await fn();
    } finally {
      slot.release();
    }
  }

  get tasksInFlight(): number {
    return this.inFlight;
  }

  get tasksWaiting(): number {
    return this.waiters.length;
  }

  stats(): BudgetStats {
    return {
      qps: this.qps,
      maxConcurrent: this.maxConcurrent,
      tasksInFlight: this.inFlight,
      tasksWaiting: this.waiters.length,
      callsMade: this.calls,
    };
  }

  private grant(): TaskSlot {
    this.inFlight++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.next();
      },
    };
  }

  private next(): void {
    while (this.inFlight < this.maxConcurrent) {
      const waiter = this.waiters.shift();
      if (!waiter) return;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.grant());
    }
  }
}
