import PQueue from 'p-queue';

export interface KeyedQueueOptions {
  concurrency: number;
  /** At most `intervalCap` starts per `interval` ms (pacing). */
  interval?: number;
  intervalCap?: number;
  onError(err: unknown, key: string): void;
}

/**
 * Work with at most `concurrency` tasks at once and at most one per key: adding a key that is queued or
 * running does nothing. The one in-flight guard for submits, polls, deliveries, card sends and inbox items.
 */
export class KeyedQueue {
  private readonly queue: PQueue;
  private readonly keys = new Set<string>();
  private readonly onError: KeyedQueueOptions['onError'];

  constructor(opts: KeyedQueueOptions) {
    this.queue = new PQueue({
      concurrency: opts.concurrency,
      ...(opts.interval ? { interval: opts.interval, intervalCap: opts.intervalCap ?? 1 } : {}),
    });
    this.onError = opts.onError;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Places not yet taken (running + waiting count against the concurrency). */
  get free(): number {
    return Math.max(0, this.queue.concurrency - this.queue.pending - this.queue.size);
  }

  get busy(): number {
    return this.keys.size;
  }

  /** Queues `fn` under `key`; false when that key is already queued or running. */
  add(key: string, fn: () => Promise<unknown>, after?: () => void): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    this.queue
      .add(fn)
      .catch((err: unknown) => this.onError(err, key))
      .finally(() => {
        this.keys.delete(key);
        after?.();
      });
    return true;
  }

  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }

  /** Stops starting queued work (what was not started is dropped) and waits for what runs. */
  async stop(): Promise<void> {
    this.queue.pause();
    this.queue.clear();
    this.keys.clear();
    await this.queue.onIdle();
  }
}
