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
  /** Work added (with `follow`) while its key was still running: it runs right after. */
  private readonly next = new Map<string, { fn: () => Promise<unknown>; after: (() => void) | undefined }>();
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

  /**
   * Queues `fn` under `key`; false when that key is already queued or running. With `follow`, work for a
   * key still running is not dropped but runs once the current one ends (the latest such `fn` wins): for
   * work the caller has claimed in the store, which nobody else would take up before its lease ends.
   */
  add(key: string, fn: () => Promise<unknown>, after?: () => void, follow = false): boolean {
    if (this.keys.has(key)) {
      if (follow) this.next.set(key, { fn, after });
      return false;
    }
    this.keys.add(key);
    this.queue
      .add(fn)
      .catch((err: unknown) => this.onError(err, key))
      .finally(() => {
        this.keys.delete(key);
        const then = this.next.get(key);
        this.next.delete(key);
        if (then) this.add(key, then.fn, then.after, true);
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
    this.next.clear();
    await this.queue.onIdle();
  }
}
