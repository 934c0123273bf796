import { GatewayClosedError, WaitTimeoutError } from './errors.js';

interface Waiter {
  check(): boolean;
  resolve(): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Promises that settle when a condition on the gateway's state holds: the gateway calls
 * `notify()` after every change (frame, connection, endpoint call), so nobody polls or sleeps.
 */
export class Waiters {
  private readonly pending = new Set<Waiter>();

  /** Resolves once `check()` is true (checked now and after every notify); rejects after timeoutMs. */
  until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.pending.delete(waiter);
          reject(new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs),
      };
      this.pending.add(waiter);
    });
  }

  notify(): void {
    for (const waiter of [...this.pending]) {
      let done = false;
      try {
        done = waiter.check();
      } catch (err) {
        this.settle(waiter);
        waiter.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (done) {
        this.settle(waiter);
        waiter.resolve();
      }
    }
  }

  /** Rejects everything still waiting (the gateway is closing). */
  rejectAll(): void {
    for (const waiter of [...this.pending]) {
      this.settle(waiter);
      waiter.reject(new GatewayClosedError('fake Lark gateway closed'));
    }
  }

  private settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.pending.delete(waiter);
  }
}
