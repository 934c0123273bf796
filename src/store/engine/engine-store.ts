import rfdc from 'rfdc';
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
import {
  type AdminLogEntry,
  type ChatFacts,
  type InboxItem,
  type Job,
  type JobState,
  type LedgerEntry,
  noJobCounts,
  type Pause,
} from '../records.js';
import * as inbox from './inbox-ops.js';
import * as jobs from './job-ops.js';
import * as quota from './quota-ops.js';
import { DEFAULT_RETENTION, type PruneResult, prune, type RetentionOptions } from './retention.js';
import type { State } from './state.js';

/**
 * Records are plain JSON data (they are what the journal and PostgreSQL hold). rfdc copies them ~8x faster
 * than structuredClone, which serialises through V8's message format: a /video makes several copies
 * (inbox item, job in and out), which was ~10 % of its ingest CPU (bench/ingest.ts).
 */
const copy: <T>(v: T) => T = rfdc({ proto: false, circles: false });
const holdsImages = (state: JobState | undefined) => state === 'queued' || state === 'submitting';
const PRUNE_FULL_MS = 60_000;
const PRUNE_BURST_MS = 1_000;

/**
 * The store port over an in-memory state: every operation is one synchronous step on the state (so it is
 * atomic within the process), followed by `persist()`, which subclasses make durable. Records go in and
 * out as copies.
 */
export abstract class EngineStore implements StorePort {
  protected state: State;
  protected readonly retention: RetentionOptions;
  protected readonly clock: () => number;
  private lastFullPrune = 0;
  private lastBurstPrune = 0;

  protected constructor(state: State, opts: { retention?: Partial<RetentionOptions>; now?: () => number }) {
    this.state = state;
    this.retention = { ...DEFAULT_RETENTION, ...opts.retention };
    this.clock = opts.now ?? Date.now;
  }

  /** Makes every change so far durable; resolves when it is. */
  protected abstract persist(): Promise<void>;
  /** Finished jobs leaving the state (retention). */
  protected abstract archive(jobs: Job[]): void;
  protected abstract saveImages(jobId: string, images: Uint8Array[]): Promise<void>;
  protected abstract loadImages(jobId: string): Promise<Uint8Array[]>;
  protected abstract dropImages(jobId: string): void;

  /** Runs retention when it is due (called before each write); true when a full rewrite is needed. */
  protected pruneIfDue(): boolean {
    const now = this.clock();
    let r: PruneResult | undefined;
    if (now - this.lastFullPrune >= PRUNE_FULL_MS) {
      this.lastFullPrune = now;
      this.lastBurstPrune = now;
      r = prune(this.state, this.retention, now, true);
    } else if (now - this.lastBurstPrune >= PRUNE_BURST_MS) {
      this.lastBurstPrune = now;
      r = prune(this.state, this.retention, now, false);
    }
    if (!r) return false;
    if (r.archived.length) {
      for (const j of r.archived) this.dropImages(j.id);
      this.archive(r.archived);
    }
    return r.rewrite;
  }

  private async done<T>(result: T): Promise<T> {
    await this.persist();
    return copy(result);
  }

  async accept(item: InboxItem, claim?: { now: number; leaseMs: number }): Promise<boolean> {
    return this.done(inbox.accept(this.state, copy(item), claim));
  }

  async claimInbox(input: ClaimInput & { maxAttempts?: number }): Promise<InboxItem[]> {
    return copy(inbox.claimInbox(this.state, input));
  }

  async finishInbox(id: string): Promise<void> {
    if (this.state.removeInbox(id)) await this.persist();
  }

  async failInbox(id: string): Promise<void> {
    inbox.failInbox(this.state, id);
    await this.persist();
  }

  async createJob(
    draft: JobDraft,
    policy: QuotaPolicy,
    opts: { now: number; inboxId?: string; images?: Uint8Array[] },
  ): Promise<CreateJobResult> {
    const r = jobs.createJob(this.state, copy(draft), policy, opts.now, opts.inboxId);
    if (r.ok && opts.images?.length) {
      // The images are on disk before the job that needs them is.
      try {
        await this.saveImages(r.job.id, opts.images);
      } catch (err) {
        this.dropImages(r.job.id);
        const failed = { from: ['queued'], to: 'failed', charge: 'refund' } as const;
        jobs.transition(
          this.state,
          r.job.id,
          { ...failed, error: { code: 'STORE_FAILED', detail: String(err) } },
          opts.now,
        );
        await this.persist();
        throw err;
      }
    }
    return this.done(r);
  }

  async transition(jobId: string, t: Transition, now: number): Promise<Job | undefined> {
    const before = this.state.byId.get(jobId)?.state;
    const job = jobs.transition(this.state, jobId, copy(t), now);
    if (!job) return undefined;
    const out = await this.done(job);
    // Dropped once the transition is durable: a restart before it still finds the images.
    if (holdsImages(before) && !holdsImages(job.state)) this.dropImages(jobId);
    return out;
  }

  async job(id: string): Promise<Job | undefined> {
    const j = this.state.byId.get(id) ?? this.state.byId.get(id.toUpperCase());
    return j && copy(j);
  }

  async jobsOfUser(user: string, limit: number): Promise<Job[]> {
    return copy(jobs.jobsOfUser(this.state, user, limit));
  }

  async jobsIn(states: readonly JobState[]): Promise<Job[]> {
    return copy(jobs.jobsIn(this.state, states));
  }

  async queuePosition(jobId: string): Promise<number> {
    return jobs.queuePosition(this.state, jobId);
  }

  async jobImages(jobId: string): Promise<Uint8Array[]> {
    return this.loadImages(jobId);
  }

  async claimSubmits(input: ClaimSubmitsInput): Promise<Job[]> {
    const claimed = jobs.claimSubmits(this.state, input);
    if (!claimed.length) return [];
    return this.done(claimed);
  }

  async claimOrphanedSubmits(input: ClaimInput): Promise<Job[]> {
    return copy(jobs.claimOrphanedSubmits(this.state, input));
  }

  async claimPolls(input: ClaimInput): Promise<Job[]> {
    return copy(jobs.claimPolls(this.state, input));
  }

  async nextPollAt(): Promise<number | undefined> {
    return jobs.nextPollAt(this.state);
  }

  async claimDeliveries(input: ClaimInput): Promise<Job[]> {
    return copy(jobs.claimDeliveries(this.state, input));
  }

  async claimCards(input: ClaimInput): Promise<Job[]> {
    return copy(jobs.claimCards(this.state, input));
  }

  async cardSent(jobId: string, sent: CardSent, now: number): Promise<Job | undefined> {
    const job = jobs.cardSent(this.state, jobId, sent, now);
    return job && this.done(job);
  }

  async inFlight(user: string): Promise<number> {
    return jobs.inFlight(this.state, user);
  }

  async jobCounts(): Promise<Record<JobState, number>> {
    const counts = noJobCounts();
    for (const j of this.state.data.jobs) counts[j.state]++;
    return counts;
  }

  async quotaState(q: { user: string; chat: string; day: string }): Promise<QuotaState> {
    return quota.quotaStateOf(this.state, q);
  }

  async admin(action: AdminAction, by: string, policy: QuotaPolicy, now: number): Promise<AdminResult> {
    return this.done(quota.admin(this.state, action, by, policy, now));
  }

  async paused(): Promise<Pause | null> {
    return copy(this.state.data.paused);
  }

  async ledgerSince(since: number): Promise<LedgerEntry[]> {
    return copy(quota.ledgerSince(this.state, since));
  }

  async adminLogSince(since: number): Promise<AdminLogEntry[]> {
    return copy(quota.adminLogSince(this.state, since));
  }

  async chatFacts(chatId: string): Promise<ChatFacts> {
    return copy(this.state.data.chats[chatId] ?? {});
  }

  async setChatFacts(chatId: string, facts: ChatFacts): Promise<void> {
    this.state.setChat(chatId, facts);
    await this.persist();
  }

  abstract close(): Promise<void>;
}
