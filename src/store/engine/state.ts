import { jobIdOf } from '../job-rules.js';
import {
  type AdminLogEntry,
  type ChatFacts,
  type DayUsage,
  type InboxItem,
  isActive,
  type Job,
  type LedgerEntry,
  type Pause,
} from '../records.js';
import { holdsSlot } from '../submit-order.js';

/** Everything a store holds, as one JSON document (the file store's snapshot). */
export interface StoreData {
  version: 2;
  seq: number;
  jobs: Job[];
  /** Dedup keys → first seen (ms). */
  seen: Record<string, number>;
  inbox: InboxItem[];
  usage: Record<string, DayUsage>;
  userLimits: Record<string, number>;
  /** `${day}|${openId}` → extra videos granted for that day. */
  extras: Record<string, number>;
  chatLimit: number | null;
  ledger: LedgerEntry[];
  adminLog: AdminLogEntry[];
  paused: Pause | null;
  chats: Record<string, ChatFacts>;
  /** The last journal batch this snapshot includes (file store). */
  journalSeq: number;
}

export function emptyData(): StoreData {
  return {
    version: 2,
    seq: 0,
    jobs: [],
    seen: {},
    inbox: [],
    usage: {},
    userLimits: {},
    extras: {},
    chatLimit: null,
    ledger: [],
    adminLog: [],
    paused: null,
    chats: {},
    journalSeq: 0,
  };
}

/** What the operations since the last write changed (the file store journals exactly this). */
export class Changes {
  jobs = new Set<Job>();
  ledger = new Set<LedgerEntry>();
  days = new Set<string>();
  seen: Record<string, number> = {};
  inbox = new Map<string, InboxItem>();
  inboxRemoved = new Set<string>();
  admin: AdminLogEntry[] = [];
  meta = false;
  chats = new Set<string>();

  get empty(): boolean {
    return (
      this.jobs.size === 0 &&
      this.ledger.size === 0 &&
      this.days.size === 0 &&
      Object.keys(this.seen).length === 0 &&
      this.inbox.size === 0 &&
      this.inboxRemoved.size === 0 &&
      this.admin.length === 0 &&
      !this.meta &&
      this.chats.size === 0
    );
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The state in memory with its indexes, changed only through the helpers below so the indexes and the
 * change record stay right. Shared by the in-memory and the file store (which adds durability).
 */
export class State {
  data: StoreData;
  readonly byId = new Map<string, Job>();
  readonly ledgerByJob = new Map<string, LedgerEntry>();
  readonly inboxById = new Map<string, InboxItem>();
  /** Active jobs (queued, submitting, running) by user. */
  readonly activeByUser = new Map<string, number>();
  /** Jobs holding a slot at Jimeng (submit-order.ts holdsSlot): few, so claims need not scan every job. */
  readonly atJimeng = new Set<Job>();
  activeTotal = 0;
  changes = new Changes();
  /**
   * Claimed work, until a time (ms): per job a submit, poll, delivery or card send; per inbox item its
   * handling. Kept beside the records, not in them: they say who is working now, which a restart voids.
   */
  readonly jobLeases = new Map<
    string,
    { submit?: number; poll?: number; delivery?: number; card?: number }
  >();
  readonly inboxLeases = new Map<string, number>();

  constructor(data: StoreData = emptyData()) {
    this.data = data;
    this.reindex();
  }

  reindex(): void {
    this.byId.clear();
    this.activeByUser.clear();
    this.atJimeng.clear();
    this.activeTotal = 0;
    for (const job of this.data.jobs) {
      this.byId.set(job.id, job);
      if (isActive(job)) this.countActive(job.userOpenId, 1);
      if (holdsSlot(job)) this.atJimeng.add(job);
    }
    this.ledgerByJob.clear();
    for (const e of this.data.ledger) this.ledgerByJob.set(e.jobId, e);
    this.inboxById.clear();
    for (const item of this.data.inbox) this.inboxById.set(item.id, item);
  }

  /** Takes the change record (the next write covers what comes after). */
  takeChanges(): Changes {
    const c = this.changes;
    this.changes = new Changes();
    return c;
  }

  private countActive(user: string, delta: 1 | -1): void {
    this.activeTotal += delta;
    const n = (this.activeByUser.get(user) ?? 0) + delta;
    if (n > 0) this.activeByUser.set(user, n);
    else this.activeByUser.delete(user);
  }

  nextJobId(): string {
    this.data.seq += 1;
    this.changes.meta = true;
    return jobIdOf(this.data.seq);
  }

  addJob(job: Job): void {
    this.data.jobs.push(job);
    this.byId.set(job.id, job);
    if (isActive(job)) this.countActive(job.userOpenId, 1);
    if (holdsSlot(job)) this.atJimeng.add(job);
    this.changes.jobs.add(job);
  }

  /** Applies `patch` to a stored job, keeping the active-count index right. */
  changeJob(job: Job, patch: Partial<Job>, now: number): void {
    const was = isActive(job);
    Object.assign(job, patch, { updatedAt: now });
    for (const [k, v] of Object.entries(patch))
      if (v === undefined) delete (job as unknown as Record<string, unknown>)[k];
    const is = isActive(job);
    if (was !== is) this.countActive(job.userOpenId, is ? 1 : -1);
    if (holdsSlot(job)) this.atJimeng.add(job);
    else this.atJimeng.delete(job);
    this.changes.jobs.add(job);
  }

  usage(day: string): DayUsage {
    let u = this.data.usage[day];
    if (!u) {
      u = { users: {}, chats: {}, yuan: 0 };
      this.data.usage[day] = u;
    }
    this.changes.days.add(day);
    return u;
  }

  /** Takes one video and the job's cost from its day's allowance and opens its ledger entry. */
  reserve(job: Job, now: number): void {
    const u = this.usage(job.day);
    u.users[job.userOpenId] = (u.users[job.userOpenId] ?? 0) + 1;
    u.chats[job.chatId] = (u.chats[job.chatId] ?? 0) + 1;
    u.yuan = round2(u.yuan + job.costYuan);
    const entry: LedgerEntry = {
      jobId: job.id,
      user: job.userOpenId,
      chat: job.chatId,
      model: job.reqKey,
      seconds: job.duration,
      yuan: job.costYuan,
      outcome: 'reserved',
      at: now,
    };
    this.data.ledger.push(entry);
    this.ledgerByJob.set(job.id, entry);
    this.changes.ledger.add(entry);
  }

  /** Gives the video and its cost back. Idempotent (a refunded job is not refunded twice). */
  refund(job: Job, outcome: 'refunded' | 'uncertain', now: number): void {
    if (job.charge === 'refunded') return;
    const u = this.usage(job.day);
    u.users[job.userOpenId] = Math.max(0, (u.users[job.userOpenId] ?? 0) - 1);
    u.chats[job.chatId] = Math.max(0, (u.chats[job.chatId] ?? 0) - 1);
    u.yuan = Math.max(0, round2(u.yuan - job.costYuan));
    job.charge = 'refunded';
    this.ledgerOutcome(job, outcome, now);
  }

  ledgerOutcome(job: Job, outcome: LedgerEntry['outcome'], now: number): void {
    const e = this.ledgerByJob.get(job.id);
    if (!e) return;
    e.outcome = outcome;
    e.at = now;
    this.changes.ledger.add(e);
  }

  /** Puts (or replaces) an inbox item. */
  putInbox(item: InboxItem): void {
    const old = this.inboxById.get(item.id);
    if (old) Object.assign(old, item);
    else {
      this.data.inbox.push(item);
      this.inboxById.set(item.id, item);
    }
    this.changes.inbox.set(item.id, this.inboxById.get(item.id)!);
    this.changes.inboxRemoved.delete(item.id);
  }

  removeInbox(id: string): boolean {
    const item = this.inboxById.get(id);
    if (!item) return false;
    this.inboxById.delete(id);
    this.inboxLeases.delete(id);
    const i = this.data.inbox.indexOf(item);
    if (i >= 0) this.data.inbox.splice(i, 1);
    this.changes.inbox.delete(id);
    this.changes.inboxRemoved.add(id);
    return true;
  }

  markSeen(id: string, at: number): void {
    this.data.seen[id] = at;
    this.changes.seen[id] = at;
  }

  logAdmin(entry: AdminLogEntry): void {
    this.data.adminLog.push(entry);
    this.changes.admin.push(entry);
  }

  setMeta<K extends 'userLimits' | 'extras' | 'chatLimit' | 'paused'>(key: K, value: StoreData[K]): void {
    this.data[key] = value;
    this.changes.meta = true;
  }

  setChat(chatId: string, facts: ChatFacts): void {
    this.data.chats[chatId] = { ...facts };
    this.changes.chats.add(chatId);
  }
}
