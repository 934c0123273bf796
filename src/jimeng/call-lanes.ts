/**
 * Fair turns between submits and polls of one account. Its calls leave one at a time through a pacer
 * (the account's QPS); when both kinds wait, they take turns (two polls, one submit). Without this, a burst of submits asks for
 * the next ~20 slots at once and every get-result waits behind them: a task that is done in 5 s, or
 * failed after 2 s, is first looked at 20 s later. Hand-written: p-queue has priorities but no
 * alternation between classes of waiters, and none of its options keeps one class from starving.
 */
import type { CallLane, CallPacer } from './call-pacer.js';
import { abortedError } from './retry.js';

/** Poll turns per submit turn while both lanes wait. */
const POLL_TURNS = 2;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Lanes in front of a pacer that knows nothing of them (the budget's own pacing, or a shared row). */
export class CallLanes implements CallPacer {
  private readonly waiting: Record<CallLane, Waiter[]> = { submit: [], poll: [] };
  /** Polls served since the last submit. */
  private pollTurns = 0;
  private running = false;

  constructor(private readonly source: CallPacer) {}

  /** Waits for this lane's turn, then for the pacer's slot. */
  takeCallSlot(signal?: AbortSignal, lane: CallLane = 'poll'): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, ...(signal ? { signal } : {}) };
      if (signal) {
        waiter.onAbort = () => {
          const list = this.waiting[lane];
          const i = list.indexOf(waiter);
          if (i >= 0) list.splice(i, 1);
          reject(abortedError(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiting[lane].push(waiter);
      void this.run();
    });
  }

  /**
   * Polls get two turns for each submit's when both wait: a look at a task that may be done ends a wait
   * that is already being paid for, a new task only starts one; and every submit brings a look of its own
   * later, so at one turn each the looks of a burst fall further behind until the submits are all done.
   */
  private next(): Waiter | undefined {
    const { poll, submit } = this.waiting;
    const lane: CallLane =
      poll.length === 0 ? 'submit' : submit.length === 0 || this.pollTurns < POLL_TURNS ? 'poll' : 'submit';
    const waiter = this.waiting[lane].shift();
    if (waiter) this.pollTurns = lane === 'poll' ? this.pollTurns + 1 : 0;
    return waiter;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let w = this.next(); w; w = this.next()) {
        if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
        try {
          await this.source.takeCallSlot(w.signal);
          w.resolve();
        } catch (err) {
          w.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
