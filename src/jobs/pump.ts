import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../log.js';

/**
 * Runs `run` soon after `wake()` (once for a burst of wakes in one tick), or at a time (`wakeAt`, the
 * earliest one asked for wins). The trigger of every job loop: submits, polls, deliveries, cards.
 */
export class Pump {
  private scheduled = false;
  private stopped = false;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly name: string,
    private readonly run: () => Promise<void>,
  ) {}

  wake(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    this.clock.setTimeout(() => {
      this.scheduled = false;
      if (this.stopped) return;
      this.run().catch((err: unknown) => this.log.error({ err }, `${this.name} failed`));
    }, 0);
  }

  wakeAt(at: number): void {
    if (this.stopped || (this.timer && at >= this.timerAt)) return;
    this.timerAt = at;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.wake();
    }, at - this.clock.now());
    this.timer.unref?.();
  }

  /** Runs now and resolves when that run is done (a deterministic step for tests and shutdown). */
  runNow(): Promise<void> {
    return this.stopped ? Promise.resolve() : this.run();
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
  }
}
