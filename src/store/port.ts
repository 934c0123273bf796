import type {
  AdminLogEntry,
  CameraMotion,
  ChatFacts,
  InboxItem,
  Job,
  JobError,
  JobImage,
  JobState,
  LedgerEntry,
  Pause,
  Tier,
} from './records.js';

/** The quota rules in force (configuration); the admins' overrides live in the store. */
export interface QuotaPolicy {
  userDailyVideos: number;
  /** 0 = no per-chat limit unless an admin set one. */
  chatDailyVideos: number;
  /** 0 = no budget. */
  dailyBudgetYuan: number;
  maxInFlightPerUser: number;
}

export type Refusal =
  | { code: 'PAUSED'; reason: string }
  | { code: 'USER_DAILY'; limit: number; used: number }
  | { code: 'CHAT_DAILY'; limit: number; used: number }
  | { code: 'BUDGET'; budget: number; spent: number; cost: number }
  | { code: 'IN_FLIGHT'; limit: number };

/** A job as the bot wants it made; the store adds id, state, charge and bookkeeping. */
export interface JobDraft {
  sourceId: string;
  messageId: string;
  chatId: string;
  chatType: string;
  userOpenId: string;
  userName?: string;
  origin?: { action: string; fromJob: string };
  prompt: string;
  tier: Tier;
  reqKey: string;
  duration: 5 | 10;
  ratio?: string;
  seed?: number;
  images?: JobImage[];
  camera?: CameraMotion;
  day: string;
  costYuan: number;
}

export type CreateJobResult =
  | { ok: true; job: Job }
  | { ok: false; refusal: Refusal }
  /** The inbox item named was no longer in the inbox: another process handled the message. */
  | { ok: false; handledElsewhere: true };

/** What a transition does to the quota and the ledger, besides the job. */
export type ChargeEffect =
  /** The task exists at Jimeng: the reservation becomes a charge. */
  | 'consume'
  /** No video came to exist: the video and its cost go back to today's allowance. */
  | 'refund'
  /** Refunded, but the ledger says Jimeng may have billed it (submit outcome unknown). */
  | 'refund_uncertain'
  /** The video reached the chat. */
  | 'deliver';

/** Fields a transition may set (undefined clears a field). */
export type JobPatch = Partial<Omit<Job, 'id' | 'state' | 'charge' | 'createdAt' | 'updatedAt' | 'card'>>;

export interface Transition {
  /** Guard: the job must be in one of these states, or nothing happens. */
  from: readonly JobState[];
  to?: JobState;
  set?: JobPatch;
  charge?: ChargeEffect;
  error?: JobError;
  /**
   * The card must show this change: bumps `card.version` so the card owner sends it. With `after`, not
   * before that time (ms): Feishu shows a view of ours for now (a pressed button), and the send that
   * replaces it is persisted with the job, so a restart meanwhile still sends it.
   */
  card?: boolean | { after: number };
  /** Ends a claim on the job (see claimPolls / claimDeliveries). */
  release?: 'poll' | 'delivery';
}

/** What the card owner records after a send: the version Feishu now shows, or a failure to retry. */
export type CardSent = { ok: true; version: number; messageId?: string } | { ok: false; retryAt: number };

export type AdminAction =
  | { kind: 'quota_set'; user: string; perDay: number }
  | { kind: 'quota_add'; user: string; n: number; day: string }
  | { kind: 'quota_chat'; n: number }
  | { kind: 'pause'; reason: string }
  | { kind: 'resume' };

export interface AdminResult {
  entry: AdminLogEntry;
  /** For quota_add: the user's limit for that day afterwards (with the policy default). */
  limitToday?: number;
  /** For resume: false when nothing was paused. */
  changed: boolean;
}

/** Everything the quota rules look at for one user in one chat on one day. */
export interface QuotaState {
  used: number;
  /** Admin override of the user's daily videos, if any. */
  userLimit?: number;
  extraToday: number;
  chatUsed: number;
  /** Admin override of the per-chat limit, if any. */
  chatLimit?: number;
  spentYuan: number;
  inFlight: number;
  paused: Pause | null;
}

/** A Jimeng account the submit queue may give a job to. */
export interface SubmitAccount {
  name: string;
  /** Tasks at Jimeng at once for this account (submitting, or running without a video yet). */
  maxInFlight: number;
  /** req_keys it may run; undefined = all. */
  models?: readonly string[];
}

export interface ClaimSubmitsInput {
  now: number;
  accounts: readonly SubmitAccount[];
  /** At most this many jobs. */
  limit: number;
  /**
   * How long the submitter holds each claimed job (default SUBMIT_LEASE_MS, longer than any submit with
   * its retries takes). See claimOrphanedSubmits.
   */
  leaseMs?: number;
}

export interface ClaimInput {
  now: number;
  limit: number;
  /** The claimed work is not handed out again for this long (another replica, or a crashed attempt). */
  leaseMs: number;
}

/** A claimed submit's lease when the claim names none: 10 minutes (a submit with every retry takes ~2). */
export const SUBMIT_LEASE_MS = 10 * 60_000;

/**
 * The bot's persistent state behind one interface of domain operations. Every operation is atomic: it
 * applies completely or not at all, and once its promise resolves the change is durable (a file store
 * has synced it to disk; a database has committed it). Each is written so that a SQL store can do it
 * in one transaction and several processes can share one store; where two callers race, the text says
 * who wins. Records handed out are copies.
 *
 * Claims and processes: a claim (claimInbox, claimSubmits, claimOrphanedSubmits, claimPolls,
 * claimDeliveries, claimCards) leases work to the calling process until `now + leaseMs`, and no one is
 * handed that work again meanwhile. A lease also ends with its process. An embedded store (memory, file)
 * belongs to one process: a restart voids every lease. A shared store (PostgreSQL) is one handle per
 * replica: it keeps its replica alive while open and voids the replica's leases when it closes, or when
 * the replica has not renewed its liveness for the replica timeout (kill -9, a frozen or cut-off host).
 */
export interface StorePort {
  // ---- deliveries -------------------------------------------------------------------------------------

  /**
   * Remembers a delivery's dedup key and puts it in the inbox, in one step. `false` when the key was
   * seen within the dedup window (a re-push): nothing is stored. Of two racing calls with one key,
   * exactly one gets `true`. With `claim`, the item goes in already claimed by the caller (it handles it
   * now), as claimInbox would hand it out: no other process is handed it for `leaseMs`.
   */
  accept(item: InboxItem, claim?: { now: number; leaseMs: number }): Promise<boolean>;
  /**
   * Inbox items to handle, oldest first, each leased for `leaseMs` (not handed out again meanwhile);
   * items whose handling failed `maxAttempts` times are not handed out.
   */
  claimInbox(input: ClaimInput & { maxAttempts?: number }): Promise<InboxItem[]>;
  /** Takes an item out of the inbox (handled, or given up). Idempotent. */
  finishInbox(id: string): Promise<void>;
  /** Counts a failed attempt at an item and releases its lease. */
  failInbox(id: string): Promise<void>;

  // ---- jobs ---------------------------------------------------------------------------------------------

  /**
   * Checks the quota (pause, user and chat daily limits, daily budget, the user's jobs in flight) and,
   * when it passes, creates the job with its reservation (one video for the user and the chat, its cost
   * against the budget, a ledger entry) and stores its images; the inbox item `inboxId` is taken out in
   * the same step. Of racing calls, no more pass than the quota allows. A refusal changes nothing (the
   * inbox item stays until the refusal is answered). When `inboxId` is no longer in the inbox (another
   * process handled that message first) nothing is created: one message never makes two jobs.
   */
  createJob(
    draft: JobDraft,
    policy: QuotaPolicy,
    opts: { now: number; inboxId?: string; images?: Uint8Array[] },
  ): Promise<CreateJobResult>;
  /**
   * The only way a job changes: applies `t` if the job is in one of `t.from`, else returns undefined and
   * changes nothing (so of two racing transitions from one state, one wins). A job leaving `queued` and
   * `submitting` drops its stored images.
   */
  transition(jobId: string, t: Transition, now: number): Promise<Job | undefined>;
  job(id: string): Promise<Job | undefined>;
  /** The user's most recent jobs, newest first. */
  jobsOfUser(user: string, limit: number): Promise<Job[]>;
  /** Jobs in these states, oldest first. */
  jobsIn(states: readonly JobState[]): Promise<Job[]>;
  /** 1-based place of a queued job among queued jobs (0 when it is not queued). */
  queuePosition(jobId: string): Promise<number>;
  /** The images stored with a job (until it is submitted), in order. */
  jobImages(jobId: string): Promise<Uint8Array[]>;

  /**
   * Moves queued jobs that are due (`retryAt` passed) to `submitting` and gives each an account with a
   * free slot that can run its model, least loaded first. Among queued jobs the oldest of the user with
   * the fewest jobs at Jimeng goes first. The slots counted are the deployment's (jobs submitting, or
   * running without a video), so racing callers never exceed an account's `maxInFlight`. Each job is
   * leased to the caller (its submitter) for `leaseMs`; the submitter's transition out of `submitting`
   * ends it.
   */
  claimSubmits(input: ClaimSubmitsInput): Promise<Job[]>;
  /**
   * Jobs left in `submitting` by a submitter that is gone: its lease ran out, or its process ended (see
   * "Claims and processes" above), oldest first, each leased to the caller for `leaseMs`. A job whose
   * submitter is alive is never handed out. Jimeng may or may not have created such a job's task, and
   * cannot be asked: the caller reports it as uncertain rather than submit it again.
   */
  claimOrphanedSubmits(input: ClaimInput): Promise<Job[]>;
  /**
   * Running jobs with a task and no video whose `nextPollAt` has passed, submitted longest ago first;
   * each one's `nextPollAt` is pushed `leaseMs` ahead so no one else polls it meanwhile.
   */
  claimPolls(input: ClaimInput): Promise<Job[]>;
  /** The earliest `nextPollAt` of a job waiting to be polled (undefined: none). */
  nextPollAt(): Promise<number | undefined>;
  /** Running jobs with a video not yet delivered whose `delivery.nextAt` has passed; leased likewise. */
  claimDeliveries(input: ClaimInput): Promise<Job[]>;
  /** Jobs whose card is behind (`card.sent < card.version`) and not waiting out a retry; leased likewise. */
  claimCards(input: ClaimInput): Promise<Job[]>;
  /**
   * Records a card send for a job: `sent` only moves forward. In a shared store, a send recorded by a
   * replica that no longer holds the card (its claim ended and another replica claimed the card since)
   * may have put an older view over a newer one: the card's `version` is bumped, so the card is claimed
   * and sent again as the job stands. The card never stays behind.
   */
  cardSent(jobId: string, sent: CardSent, now: number): Promise<Job | undefined>;
  /** Counts the user's jobs in flight (queued, submitting, running). */
  inFlight(user: string): Promise<number>;
  /** Jobs held, by state (for metrics). */
  jobCounts(): Promise<Record<JobState, number>>;

  // ---- quota, settings, admin ---------------------------------------------------------------------------

  quotaState(q: { user: string; chat: string; day: string }): Promise<QuotaState>;
  /** Changes a setting and writes the admin log entry, in one step. */
  admin(action: AdminAction, by: string, policy: QuotaPolicy, now: number): Promise<AdminResult>;
  paused(): Promise<Pause | null>;
  /** Ledger entries whose last change is at or after `since` (ms). */
  ledgerSince(since: number): Promise<LedgerEntry[]>;
  adminLogSince(since: number): Promise<AdminLogEntry[]>;

  chatFacts(chatId: string): Promise<ChatFacts>;
  setChatFacts(chatId: string, facts: ChatFacts): Promise<void>;

  /** Flushes and releases the store (a file store writes a final snapshot). */
  close(): Promise<void>;
}
