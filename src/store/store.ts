import { appendFile, type FileHandle, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile, TextFile } from 'lowdb/node';
import type { IncomingMessage } from '../lark/types.js';
import { type Logger, silentLogger } from '../log.js';
import {
  type AdminAction,
  type DayUsage,
  emptyData,
  isActive,
  type Job,
  type LedgerEntry,
  type StoreData,
} from './schema.js';

export interface StoreOptions {
  dir: string;
  /** Finished jobs kept in the hot file (the rest go to jobs-archive.jsonl). */
  finishedJobs?: number;
  finishedJobDays?: number;
  ledgerDays?: number;
  /** How long a message_id is remembered; Feishu re-pushes for ~7.1 h. */
  dedupHours?: number;
  /** Journal size that may trigger a snapshot (also needs twice the snapshot's size). Default 16 MiB. */
  compactBytes?: number;
  logger?: Logger;
  now?: () => number;
}

const DAY = 86_400_000;
/**
 * The journal is folded into a fresh snapshot once it is twice the snapshot's size and at least this
 * big: replaying 16 MB of journal at start takes a fraction of a second, and each snapshot serialises
 * the whole state on the event loop, so they should be rare.
 */
const MIN_COMPACT_BYTES = 16 * 1024 * 1024;

/** One line of state.journal: everything one commit changed. */
interface Batch {
  n: number;
  /** Jobs added or changed (whole records). */
  j?: Job[];
  /** Ledger entries added or changed (one per job, keyed by jobId). */
  l?: LedgerEntry[];
  /** Days whose usage counters changed. */
  u?: Record<string, DayUsage>;
  /** Message ids newly seen. */
  s?: Record<string, number>;
  /** Messages added to the inbox, and ids taken out of it. */
  i?: IncomingMessage[];
  x?: string[];
  a?: AdminAction[];
  /** The small settings (seq, limits, pause), when changed. */
  m?: Meta;
}

type Meta = Pick<StoreData, 'seq' | 'userLimits' | 'extras' | 'chatLimit' | 'paused'>;
const metaOf = (d: StoreData): Meta => ({
  seq: d.seq,
  userLimits: d.userLimits,
  extras: d.extras,
  chatLimit: d.chatLimit,
  paused: d.paused,
});

/**
 * The bot's persistent state: what is live (active jobs, recent history, dedup window, inbox,
 * quotas, ledger), kept in memory and made durable in two files:
 *
 * - `state.json`, a lowdb snapshot of everything, written atomically (steno: temp file + rename);
 * - `state.journal`, one JSON line per commit holding only what that commit changed.
 *
 * Why not let lowdb rewrite the whole file on every change: the cost of a write then grows with the
 * state (1,000 jobs of history is ~1 MB, 25 ms a write), and under a burst of events every
 * acknowledgement waits for it. Appending the changed records costs the same however much history
 * there is; the journal is folded into a new snapshot when it outgrows the snapshot, on close, and
 * when old jobs move to the archive. A torn last line (crash mid-append) is a commit that never
 * completed: nobody was told it was durable, and it is dropped on the next open.
 *
 * Changes are tracked, not diffed: mutate jobs through `update()` (or call `touch()`), the inbox
 * through `addToInbox`/`removeFromInbox`, and dedup through `markSeen`. Ledger entries and usage
 * travel with their job; settings and the admin log are compared on each commit (they are small).
 *
 * Writes are group-committed: callers mutate synchronously, then `await commit()`; every caller that
 * arrives while a write is in flight shares the next one, so a burst of N changes costs about two
 * appends, not N. Finished jobs beyond the retention window move to an append-only
 * `jobs-archive.jsonl`, so the snapshot stays bounded however long the bot runs.
 */
export class Store {
  readonly dir: string;
  readonly imagesDir: string;
  private readonly db: Low<StoreData>;
  private readonly opts: Required<Omit<StoreOptions, 'logger' | 'now' | 'dir'>>;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly byId = new Map<string, Job>();
  private readonly ledgerByJob = new Map<string, LedgerEntry>();
  private readonly journalPath: string;
  private journal: FileHandle | undefined;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private writing: Promise<void> | null = null;
  private pending: Promise<void> | null = null;
  private lastPrune = 0;
  private lastArchive = 0;
  /** Active jobs (queued, submitting, running) by user, and in all: kept by addJob, update and reindex. */
  private readonly activeByUser = new Map<string, number>();
  private activeTotal = 0;
  // What the next batch must carry.
  private dirtyJobs = new Set<Job>();
  private newSeen: Record<string, number> = {};
  private inboxAdded: IncomingMessage[] = [];
  private inboxRemoved: string[] = [];
  private ledgerSeen = 0;
  private adminSeen = 0;
  private lastMeta = '';
  private readonly lastUsage = new Map<string, string>();
  private needSnapshot = false;
  private snapshotNow = false;
  private snapshotting: Promise<void> | null = null;
  private readonly oldJournalPath: string;
  private readonly snapshotFile: TextFile;
  /** File writes so far (journal appends and snapshots). */
  writes = 0;
  /** Snapshots written so far. */
  snapshots = 0;

  private constructor(options: StoreOptions) {
    this.dir = options.dir;
    this.imagesDir = join(options.dir, 'images');
    this.journalPath = join(options.dir, 'state.journal');
    this.oldJournalPath = join(options.dir, 'state.journal.1');
    this.snapshotFile = new TextFile(join(options.dir, 'state.json'));
    this.opts = {
      finishedJobs: options.finishedJobs ?? 1000,
      finishedJobDays: options.finishedJobDays ?? 7,
      ledgerDays: options.ledgerDays ?? 35,
      dedupHours: options.dedupHours ?? 24,
      compactBytes: options.compactBytes ?? MIN_COMPACT_BYTES,
    };
    this.log = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.db = new Low<StoreData>(
      new DataFile<StoreData>(join(options.dir, 'state.json'), {
        parse: JSON.parse,
        stringify: (d) => JSON.stringify(d),
      }),
      emptyData(),
    );
  }

  static async open(options: StoreOptions): Promise<Store> {
    const store = new Store(options);
    await mkdir(store.imagesDir, { recursive: true });
    const replayed = await store.load();
    store.reindex();
    store.markClean();
    store.journal = await open(store.journalPath, 'a');
    // Start from a clean snapshot and an empty journal (this also drops a torn last line).
    if (replayed) await store.blockingSnapshot();
    return store;
  }

  /** The state as a restart would see it (snapshot + journal), read without writing anything. */
  static async inspect(options: StoreOptions): Promise<StoreData> {
    const store = new Store(options);
    await store.load();
    return store.data;
  }

  private async load(): Promise<boolean> {
    await this.db.read();
    this.db.data = { ...emptyData(), ...this.db.data };
    return this.replay();
  }

  get data(): StoreData {
    return this.db.data;
  }

  /** Persists every change made so far. Concurrent callers share one write. */
  commit(): Promise<void> {
    if (this.pending) return this.pending;
    const pending = (async () => {
      // Always yield first, so `this.pending` is set before this body runs.
      await (this.writing ?? Promise.resolve()).catch(() => {});
      // From here on, changes belong to the next commit; this write covers everything made until now.
      this.pending = null;
      this.maybePrune();
      this.writing = this.flush();
      try {
        await this.writing;
      } finally {
        this.writing = null;
      }
    })();
    this.pending = pending;
    return pending;
  }

  /** Marks a job changed (for code that sets its fields directly rather than through `update`). */
  touch(job: Job): void {
    this.dirtyJobs.add(job);
  }

  inbox(): readonly IncomingMessage[] {
    return this.data.inbox;
  }

  addToInbox(msg: IncomingMessage): void {
    this.data.inbox.push(msg);
    this.inboxAdded.push(msg);
  }

  removeFromInbox(messageId: string): void {
    const inbox = this.data.inbox;
    const i = inbox.findIndex((m) => m.messageId === messageId);
    if (i < 0) return;
    inbox.splice(i, 1);
    this.inboxRemoved.push(messageId);
  }

  /** Writes what changed since the last write as one journal line; starts a snapshot when due. */
  private async flush(): Promise<void> {
    const d = this.data;
    if (!this.journal || this.snapshotNow) {
      this.snapshotNow = false;
      await this.blockingSnapshot();
      return;
    }
    const batch: Batch = { n: d.journalSeq + 1 };
    if (this.dirtyJobs.size) batch.j = [...this.dirtyJobs];
    const ledger = new Set(this.indexNewLedgerEntries());
    const days = new Set<string>();
    for (const job of this.dirtyJobs) {
      const e = this.ledgerByJob.get(job.id);
      if (e) ledger.add(e);
      days.add(job.day);
    }
    if (ledger.size) batch.l = [...ledger];
    for (const day of days) {
      const u = d.usage[day];
      const text = u ? JSON.stringify(u) : '';
      if (u && text !== this.lastUsage.get(day)) {
        batch.u ??= {};
        batch.u[day] = u;
        this.lastUsage.set(day, text);
      }
    }
    if (Object.keys(this.newSeen).length) batch.s = this.newSeen;
    if (this.inboxAdded.length) batch.i = this.inboxAdded;
    if (this.inboxRemoved.length) batch.x = this.inboxRemoved;
    if (d.adminLog.length > this.adminSeen) batch.a = d.adminLog.slice(this.adminSeen);
    const meta = JSON.stringify(metaOf(d));
    if (meta !== this.lastMeta) {
      batch.m = metaOf(d);
      this.lastMeta = meta;
    }
    // Serialise before yielding: later changes belong to the next batch.
    const line = `${JSON.stringify(batch)}\n`;
    d.journalSeq = batch.n;
    this.forgetChangeRecords();
    // A snapshot taken in this same tick holds exactly the batches up to this one.
    const due =
      this.needSnapshot || this.journalBytes > Math.max(this.opts.compactBytes, 2 * this.snapshotBytes);
    const snapshot = due && !this.snapshotting ? JSON.stringify(d) : undefined;
    this.writes++;
    await this.journal.write(line);
    this.journalBytes += Buffer.byteLength(line);
    if (snapshot === undefined) return;
    this.needSnapshot = false;
    // Commits go on appending to a fresh journal while the snapshot is written in the background; the
    // old journal is deleted once the snapshot is in place (until then a restart replays both).
    await this.journal.close();
    await rename(this.journalPath, this.oldJournalPath);
    this.journal = await open(this.journalPath, 'a');
    this.journalBytes = 0;
    this.snapshotting = this.writeSnapshot(snapshot)
      .catch((err) => {
        this.needSnapshot = true; // try again on a later commit; both journals are still there
        this.log.error({ err }, 'could not write the state.json snapshot; the journal keeps the changes');
      })
      .finally(() => {
        this.snapshotting = null;
      });
  }

  private async writeSnapshot(text: string): Promise<void> {
    this.writes++;
    this.snapshots++;
    await this.snapshotFile.write(text);
    this.snapshotBytes = Buffer.byteLength(text);
    await rm(this.oldJournalPath, { force: true });
  }

  /** Writes the whole state and empties the journals, with no commit in between (open and close). */
  private async blockingSnapshot(): Promise<void> {
    await this.snapshotting;
    this.markClean();
    this.needSnapshot = false;
    await this.writeSnapshot(JSON.stringify(this.data));
    await this.journal?.truncate(0);
    this.journalBytes = 0;
  }

  /** Forgets pending change records: the next write is a snapshot that has everything. */
  private markClean(): void {
    const d = this.data;
    this.indexNewLedgerEntries();
    this.forgetChangeRecords();
    this.lastMeta = JSON.stringify(metaOf(d));
    this.lastUsage.clear();
    for (const [day, u] of Object.entries(d.usage)) this.lastUsage.set(day, JSON.stringify(u));
  }

  /** Ledger entries appended since the last write, now indexed by job (later changes find them there). */
  private indexNewLedgerEntries(): LedgerEntry[] {
    const added = this.data.ledger.slice(this.ledgerSeen);
    for (const e of added) this.ledgerByJob.set(e.jobId, e);
    return added;
  }

  /** Starts the next batch: everything recorded so far is written (or in a snapshot). */
  private forgetChangeRecords(): void {
    this.dirtyJobs = new Set();
    this.newSeen = {};
    this.inboxAdded = [];
    this.inboxRemoved = [];
    this.ledgerSeen = this.data.ledger.length;
    this.adminSeen = this.data.adminLog.length;
  }

  private countActive(job: Job, delta: 1 | -1): void {
    if (delta > 0 && !isActive(job)) return;
    this.activeTotal += delta;
    const n = (this.activeByUser.get(job.userOpenId) ?? 0) + delta;
    if (n > 0) this.activeByUser.set(job.userOpenId, n);
    else this.activeByUser.delete(job.userOpenId);
  }

  private reindex(): void {
    this.byId.clear();
    this.activeByUser.clear();
    this.activeTotal = 0;
    for (const job of this.data.jobs) {
      this.byId.set(job.id, job);
      this.countActive(job, 1);
    }
    this.ledgerByJob.clear();
    for (const e of this.data.ledger) this.ledgerByJob.set(e.jobId, e);
  }

  /**
   * Applies the journals' batches newer than the snapshot (state.journal.1, left by a snapshot that was
   * still being written, then state.journal); true when there were any lines.
   */
  private async replay(): Promise<boolean> {
    let any = false;
    for (const file of [this.oldJournalPath, this.journalPath]) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      if (text.length) any = true;
      this.applyJournal(file, text);
    }
    return any;
  }

  private applyJournal(file: string, text: string): void {
    const lines = text.split('\n');
    const d = this.data;
    const jobs = new Map(d.jobs.map((j, i) => [j.id, i] as const));
    const ledger = new Map(d.ledger.map((e, i) => [e.jobId, i] as const));
    let applied = 0;
    for (const [k, line] of lines.entries()) {
      if (!line) continue;
      let b: Batch;
      try {
        b = JSON.parse(line) as Batch;
      } catch {
        const last = k >= lines.length - 2;
        this.log[last ? 'warn' : 'error'](
          { file, line: k + 1 },
          last
            ? 'journal ends with a torn line (a crash mid-write); that unfinished commit is dropped'
            : 'journal has a corrupt line; skipping it',
        );
        continue;
      }
      if (b.n <= d.journalSeq) continue;
      // Whole records replace the old ones (a field cleared since is absent from the new record).
      for (const job of b.j ?? []) {
        const at = jobs.get(job.id);
        if (at !== undefined) d.jobs[at] = job;
        else jobs.set(job.id, d.jobs.push(job) - 1);
      }
      for (const e of b.l ?? []) {
        const at = ledger.get(e.jobId);
        if (at !== undefined) d.ledger[at] = e;
        else ledger.set(e.jobId, d.ledger.push(e) - 1);
      }
      Object.assign(d.usage, b.u);
      Object.assign(d.seen, b.s);
      d.inbox.push(...(b.i ?? []));
      if (b.x?.length) {
        const gone = new Set(b.x);
        d.inbox = d.inbox.filter((m) => !gone.has(m.messageId));
      }
      d.adminLog.push(...(b.a ?? []));
      if (b.m) Object.assign(d, b.m);
      d.journalSeq = b.n;
      applied++;
    }
    if (applied)
      this.log.info({ file, batches: applied }, 'state restored from the snapshot and the journal');
  }

  /** Remembers a message id; false when it was already seen (a re-push). Synchronous: no race. */
  markSeen(messageId: string): boolean {
    if (this.data.seen[messageId] !== undefined) return false;
    const at = this.now();
    this.data.seen[messageId] = at;
    this.newSeen[messageId] = at;
    return true;
  }

  nextJobId(): string {
    this.data.seq += 1;
    return `J${this.data.seq.toString(36).toUpperCase().padStart(4, '0')}`;
  }

  addJob(job: Job): void {
    this.data.jobs.push(job);
    this.byId.set(job.id, job);
    this.countActive(job, 1);
    this.dirtyJobs.add(job);
  }

  /** Jobs of this user that are queued, submitting or running: O(1), kept up to date by addJob/update. */
  activeJobCount(userOpenId: string): number {
    return this.activeByUser.get(userOpenId) ?? 0;
  }

  job(id: string): Job | undefined {
    return this.byId.get(id) ?? this.byId.get(id.toUpperCase());
  }

  jobs(): readonly Job[] {
    return this.data.jobs;
  }

  activeJobs(): Job[] {
    return this.data.jobs.filter(isActive);
  }

  update(job: Job, patch: Partial<Job>): Job {
    const wasActive = isActive(job);
    Object.assign(job, patch, { updatedAt: this.now() });
    if (wasActive !== isActive(job)) this.countActive(job, wasActive ? -1 : 1);
    this.dirtyJobs.add(job);
    return job;
  }

  imagePath(jobId: string): string {
    return join(this.imagesDir, `${jobId}.img`);
  }

  async removeImage(job: Job): Promise<void> {
    if (job.image) await rm(job.image.file, { force: true });
  }

  /** Moves old finished jobs to the archive and forgets expired dedup/ledger entries. */
  private maybePrune(): void {
    const now = this.now();
    // Everything once a minute; in between, at most once a second, finished jobs alone when a burst of
    // them has doubled the hot set (that check is O(1): walking every job or dedup entry each second
    // would stall the acks queued behind it).
    const d = this.data;
    if (now - this.lastPrune < 60_000) {
      const finished = d.jobs.length - this.activeTotal;
      if (now - this.lastArchive >= 1_000 && finished > this.opts.finishedJobs * 2) this.archiveFinished(now);
      return;
    }
    this.lastPrune = now;
    const seenCutoff = now - this.opts.dedupHours * 3_600_000;
    for (const [id, at] of Object.entries(d.seen)) if (at < seenCutoff) delete d.seen[id];
    const ledgerCutoff = now - this.opts.ledgerDays * DAY;
    // What expires here may come back from the journal after a crash; the next prune drops it again.
    // Shrinking the ledger or the admin log moves their append marks, so those take a snapshot.
    if (d.ledger.length && d.ledger[0]!.at < ledgerCutoff) {
      d.ledger = d.ledger.filter((e) => e.at >= ledgerCutoff);
      this.reindex();
      this.needSnapshot = true;
    }
    if (d.adminLog.length && d.adminLog[0]!.at < ledgerCutoff) {
      d.adminLog = d.adminLog.filter((e) => e.at >= ledgerCutoff);
      this.needSnapshot = true;
    }
    const days = Object.keys(d.usage).sort();
    for (const day of days.slice(0, Math.max(0, days.length - this.opts.ledgerDays))) delete d.usage[day];

    this.archiveFinished(now);
  }

  /** Moves finished jobs beyond the retention window (count and age) to jobs-archive.jsonl. */
  private archiveFinished(now: number): void {
    this.lastArchive = now;
    const d = this.data;
    const finished = d.jobs.filter((j) => !isActive(j));
    const jobCutoff = now - this.opts.finishedJobDays * DAY;
    const excess = finished.length - this.opts.finishedJobs;
    const archived = new Set<Job>();
    for (const [i, j] of finished.entries()) if (i < excess || j.updatedAt < jobCutoff) archived.add(j);
    if (archived.size === 0) return;
    d.jobs = d.jobs.filter((j) => !archived.has(j));
    for (const j of archived) this.byId.delete(j.id);
    // Replaying old journal lines would bring archived jobs back: fold the journal into a snapshot now.
    this.needSnapshot = true;
    const lines = `${[...archived].map((j) => JSON.stringify(j)).join('\n')}\n`;
    // The archive is append-only history; losing it to a crash costs nothing the bot needs.
    appendFile(join(this.dir, 'jobs-archive.jsonl'), lines).catch((err) =>
      this.log.warn({ err }, 'could not append to jobs-archive.jsonl'),
    );
  }

  /** Writes a final snapshot (so the next start reads one file) and closes the journal. */
  async close(): Promise<void> {
    await this.commit();
    this.snapshotNow = true;
    await this.commit();
    await this.journal?.close();
    this.journal = undefined;
  }
}
