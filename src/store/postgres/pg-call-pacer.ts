import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '../../log.js';
import { TAKE_CALL_SLOT } from './sql/replicas.js';

/**
 * One Jimeng account's call pacing shared by every replica: each call takes the account's next slot from
 * the `jimeng_rate` row in one statement (the database's clock), then waits for it, so the calls of the
 * whole deployment leave at most `qps` a second however many replicas make them. Satisfies the Jimeng
 * client's CallPacer. Should the database not answer, calls are paced by this process alone (at the full
 * rate: the gateway may then answer "busy", which the callers retry) until it answers again.
 */
export class PgCallPacer {
  readonly gapMs: number;
  /** The row's key: a digest of the account's access key id (the same on every replica, not the id). */
  private readonly account: string;
  private localNext = Number.NEGATIVE_INFINITY;
  private failing = false;

  constructor(
    private readonly pool: pg.Pool,
    accessKeyId: string,
    qps: number,
    private readonly log: Logger,
  ) {
    if (!(qps > 0)) throw new RangeError(`qps must be > 0, got ${qps}`);
    this.account = createHash('sha256').update(accessKeyId).digest('hex').slice(0, 24);
    // The same 10 % headroom as RateBudget: slots exactly 1/qps apart can arrive closer together.
    this.gapMs = (1000 / qps) * 1.1;
  }

  /** Waits for the account's next call slot. An aborted signal rejects with its reason. */
  async takeCallSlot(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const wait = await this.slot();
    if (wait > 0) await sleep(wait, undefined, signal ? { signal } : {});
  }

  private async slot(): Promise<number> {
    try {
      const r = await this.pool.query<{ wait_ms: number }>(TAKE_CALL_SLOT, [this.account, this.gapMs]);
      if (this.failing) this.log.info({ account: this.account }, 'shared Jimeng pacing is back');
      this.failing = false;
      return r.rows[0]?.wait_ms ?? 0;
    } catch (err) {
      if (!this.failing)
        this.log.warn(
          { account: this.account, err: (err as Error).message },
          'cannot take a shared Jimeng call slot; pacing this replica alone until the database answers',
        );
      this.failing = true;
      const now = Date.now();
      const at = Math.max(now, this.localNext);
      this.localNext = at + this.gapMs;
      return at - now;
    }
  }
}
