import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Logger } from '../../log.js';
import { FORGET_DEAD_REPLICAS, RENEW_REPLICA, RETIRE_REPLICA } from './sql/replicas.js';

export interface ReplicaOptions {
  /** This replica's id in the `replicas` table and on its claims. Default: host-pid-random (new per open). */
  id?: string;
  /**
   * A replica not heard from for this long is dead, and its claims are free (kill -9, a frozen or cut-off
   * host). It renews itself three times per timeout. Default 15 s.
   */
  timeoutMs?: number;
}

export const DEFAULT_REPLICA_TIMEOUT_MS = 15_000;

/**
 * Keeps one replica alive in the `replicas` table while its store is open: registered at open, renewed
 * every third of the timeout, deleted at close (its claims are free for the others at once). Liveness is
 * the database's clock only, so replicas whose clocks disagree still agree on who is alive.
 */
export class ReplicaLiveness {
  readonly id: string;
  readonly timeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    opts: ReplicaOptions = {},
  ) {
    this.id = opts.id ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_REPLICA_TIMEOUT_MS;
  }

  async start(): Promise<void> {
    await this.pool.query(FORGET_DEAD_REPLICAS);
    await this.pool.query(RENEW_REPLICA, [this.id, this.timeoutMs]);
    this.timer = setInterval(() => void this.renew(), Math.max(10, this.timeoutMs / 3));
    this.timer.unref();
  }

  private renew(): Promise<void> {
    this.renewing ??= this.pool
      .query<{ lapsed: boolean }>(RENEW_REPLICA, [this.id, this.timeoutMs])
      .then(
        (r) => {
          if (this.failing) this.log.info({ replica: this.id }, 'replica liveness renewed again');
          this.failing = false;
          if (r.rows[0]?.lapsed)
            this.log.warn(
              { replica: this.id, timeoutMs: this.timeoutMs },
              'this replica was not heard from for its timeout: other replicas may have taken over its claims',
            );
        },
        (err: Error) => {
          if (!this.failing)
            this.log.warn({ replica: this.id, err: err.message }, 'could not renew replica liveness');
          this.failing = true;
        },
      )
      .finally(() => {
        this.renewing = undefined;
      });
    return this.renewing;
  }

  /** Stops renewing and deletes the row: this replica's claims are free at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    await this.pool
      .query(RETIRE_REPLICA, [this.id])
      .catch((err: Error) => this.log.warn({ replica: this.id, err: err.message }, 'could not retire'));
  }
}
