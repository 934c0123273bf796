import type pg from 'pg';
import { type Logger, silentLogger } from '../../log.js';
import { DEFAULT_RETENTION, type RetentionOptions } from '../engine/retention.js';
import type {
  AdminAction,
  AdminResult,
  CardSent,
  ClaimInput,
  ClaimSubmitsInput,
  CreateJobResult,
  JobDraft,
  QuotaPolicy,
  QuotaState,
  StorePort,
  Transition,
} from '../port.js';
import type { AdminLogEntry, ChatFacts, InboxItem, Job, JobState, LedgerEntry, Pause } from '../records.js';
import { batchedOps } from './batched-ops.js';
import * as claims from './claim-ops.js';
import { connect, describeUrl, openError, type PoolOptions } from './connect.js';
import { Db } from './db.js';
import * as inbox from './inbox-ops.js';
import * as reads from './job-read-ops.js';
import * as writes from './job-write-ops.js';
import { migrate } from './migrate.js';
import { PgCallPacer } from './pg-call-pacer.js';
import { PgStoreError } from './pg-store-error.js';
import * as quota from './quota-ops.js';
import { ReplicaLiveness, type ReplicaOptions } from './replica-liveness.js';
import { type SweepResult, sweep } from './retention.js';

export interface PgStoreOptions {
  /** postgres://user:password@host:5432/database (the DATABASE_URL setting). */
  url: string;
  /** node-postgres pool settings (size, timeouts, ssl); `connectionString` comes from `url`, `types` from json-codec.ts. */
  pool?: PoolOptions;
  logger?: Logger;
  /** The clock retention measures ages with (the operations take `now` from their callers). */
  now?: () => number;
  retention?: Partial<RetentionOptions>;
  /** How often the retention sweep runs (ms, default one minute); 0 = never on its own (call `sweep`). */
  sweepEveryMs?: number;
  /** This instance as a replica: its id on the claims it makes, and its liveness timeout. */
  replica?: ReplicaOptions;
}

/**
 * The storage port on PostgreSQL, for several replicas sharing one database. Every operation is one
 * statement or one transaction; the guarantees that need more than a row lock are in the files that do
 * them (job-write-ops.ts: quota and lock order; claim-ops.ts: slots; sql/claims.ts: leases). Records are
 * stored as JSONB and come back as fresh objects, so what is handed out is always a copy. Each instance
 * is one replica (replica-liveness.ts): every claim it makes is its own, alive while it is.
 */
export class PgStore implements StorePort {
  /** Versions of the migrations this instance applied when it opened (empty: the schema was current). */
  readonly migrated: readonly number[];
  /** This replica: its id and liveness timeout. */
  readonly replica: ReplicaLiveness;
  private readonly me: string; // the replica's id: the owner of every claim made through this instance
  private readonly db: Db;
  /** Concurrent calls of these share one round trip (batcher.ts): see each op. */
  private readonly batched: ReturnType<typeof batchedOps>;
  private readonly retention: RetentionOptions;
  private readonly clock: () => number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private closed = false;

  private constructor(
    pool: pg.Pool,
    opts: PgStoreOptions,
    log: Logger,
    migrated: number[],
    replica: ReplicaLiveness,
  ) {
    this.db = new Db(pool);
    this.batched = batchedOps(this.db, replica.id);
    this.replica = replica;
    this.me = replica.id;
    this.retention = { ...DEFAULT_RETENTION, ...opts.retention };
    this.clock = opts.now ?? Date.now;
    this.log = log;
    this.migrated = migrated;
    const every = opts.sweepEveryMs ?? 60_000;
    if (every > 0) {
      this.timer = setInterval(() => this.sweepInBackground(), every);
      this.timer.unref();
    }
  }

  /**
   * Connects, applies the migrations the database lacks (once across replicas starting together), and
   * starts the retention sweep. Throws a one-line PgStoreError naming DATABASE_URL when the database
   * cannot be reached or migrated.
   */
  static async open(opts: PgStoreOptions): Promise<PgStore> {
    const log = opts.logger ?? silentLogger;
    const pool = await connect(opts.url, opts.pool ?? {}, log);
    const replica = new ReplicaLiveness(pool, log, opts.replica);
    let migrated: number[];
    try {
      migrated = await migrate(pool, log).catch((err: Error) => {
        const target = describeUrl(opts.url);
        const why = err.message.split('\n')[0];
        throw new PgStoreError(
          'DATABASE_MIGRATION',
          target,
          `DATABASE_URL: cannot set up the schema in ${target}: ${why}`,
        );
      });
      await replica.start();
    } catch (err) {
      await pool.end().catch(() => {});
      throw err instanceof PgStoreError ? err : openError(opts.url, err);
    }
    return new PgStore(pool, opts, log, migrated, replica);
  }

  /** The pacer of one Jimeng account (by access key id) shared by every replica (pg-call-pacer.ts). */
  callPacer(accessKeyId: string, qps: number): PgCallPacer {
    return new PgCallPacer(this.db.pool, accessKeyId, qps, this.log);
  }

  /** Runs the retention sweep now (undefined: another replica is sweeping). */
  async sweep(): Promise<SweepResult | undefined> {
    const r = await sweep(this.db.pool, this.retention, this.clock());
    if (r && Object.values(r).some((n) => n > 0)) this.log.debug({ retention: r }, 'retention sweep');
    return r;
  }

  private sweepInBackground(): void {
    if (this.sweeping || this.closed) return;
    this.sweeping = this.sweep()
      .catch((err) => this.log.warn({ err: (err as Error).message }, 'retention sweep failed'))
      .finally(() => {
        this.sweeping = undefined;
      });
  }

  accept = (item: InboxItem, claim?: { now: number; leaseMs: number }): Promise<boolean> =>
    this.batched.accept.call({ item, ...(claim ? { claim } : {}) });
  claimInbox = (input: ClaimInput & { maxAttempts?: number }): Promise<InboxItem[]> =>
    inbox.claimInbox(this.db, input, this.me);
  finishInbox = (id: string): Promise<void> => this.batched.finishInbox.call(id);
  failInbox = (id: string): Promise<void> => inbox.failInbox(this.db, id);

  createJob = (
    draft: JobDraft,
    policy: QuotaPolicy,
    opts: { now: number; inboxId?: string; images?: Uint8Array[] },
  ): Promise<CreateJobResult> => this.batched.createJob.call({ draft, policy, opts });
  transition = (jobId: string, t: Transition, now: number): Promise<Job | undefined> =>
    writes.transition(this.db, jobId, t, now);
  cardSent = (jobId: string, sent: CardSent, now: number): Promise<Job | undefined> =>
    writes.cardSent(this.db, jobId, sent, now, this.me);

  job = (id: string): Promise<Job | undefined> => reads.job(this.db, id);
  jobsOfUser = (user: string, limit: number): Promise<Job[]> => reads.jobsOfUser(this.db, user, limit);
  jobsIn = (states: readonly JobState[]): Promise<Job[]> => reads.jobsIn(this.db, states);
  queuePosition = (jobId: string): Promise<number> => reads.queuePosition(this.db, jobId);
  jobImages = (jobId: string): Promise<Uint8Array[]> => reads.jobImages(this.db, jobId);
  inFlight = (user: string): Promise<number> => reads.inFlight(this.db, user);
  jobCounts = (): Promise<Record<JobState, number>> => reads.jobCounts(this.db);

  claimSubmits = (input: ClaimSubmitsInput): Promise<Job[]> => claims.claimSubmits(this.db, input, this.me);
  claimOrphanedSubmits = (input: ClaimInput): Promise<Job[]> =>
    claims.claimOrphanedSubmits(this.db, input, this.me);
  claimPolls = (input: ClaimInput): Promise<Job[]> => claims.claimPolls(this.db, input, this.me);
  nextPollAt = (): Promise<number | undefined> => claims.nextPollAt(this.db);
  claimDeliveries = (input: ClaimInput): Promise<Job[]> => claims.claimDeliveries(this.db, input, this.me);
  claimCards = (input: ClaimInput): Promise<Job[]> => claims.claimCards(this.db, input, this.me);

  quotaState = (q: { user: string; chat: string; day: string }): Promise<QuotaState> =>
    quota.readQuotaState(this.db.query, q);
  admin = (action: AdminAction, by: string, policy: QuotaPolicy, now: number): Promise<AdminResult> =>
    quota.admin(this.db, action, by, policy, now);
  paused = (): Promise<Pause | null> => this.batched.paused.call(undefined);
  ledgerSince = (since: number): Promise<LedgerEntry[]> => quota.ledgerSince(this.db, since);
  adminLogSince = (since: number): Promise<AdminLogEntry[]> => quota.adminLogSince(this.db, since);
  chatFacts = (chatId: string): Promise<ChatFacts> => quota.chatFacts(this.db, chatId);
  setChatFacts = (chatId: string, facts: ChatFacts): Promise<void> =>
    quota.setChatFacts(this.db, chatId, facts);

  /**
   * Stops the sweep, retires this replica (its claims are free for the others at once) and ends the pool
   * (waiting for the operations under way). Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.sweeping;
    await this.replica.stop();
    await this.db.pool.end();
  }
}
