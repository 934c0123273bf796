import { appendFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { type Logger, silentLogger } from '../log.js';
import { ACTIVE_STATES, emptyData, type Job, type StoreData } from './schema.js';

export interface StoreOptions {
  dir: string;
  /** Finished jobs kept in the hot file (the rest go to jobs-archive.jsonl). */
  finishedJobs?: number;
  finishedJobDays?: number;
  ledgerDays?: number;
  /** How long a message_id is remembered; Feishu re-pushes for ~7.1 h. */
  dedupHours?: number;
  logger?: Logger;
  now?: () => number;
}

const DAY = 86_400_000;

/**
 * The bot's persistent state: one lowdb JSON file holding what is live (active jobs, recent
 * history, dedup window, quotas, ledger), written atomically (steno: temp file + rename).
 *
 * Writes are group-committed: callers mutate `data` synchronously, then `await commit()`; every
 * caller that arrives while a write is in flight shares the next one, so a burst of N changes costs
 * about two file writes, not N. Finished jobs beyond the retention window move to an append-only
 * `jobs-archive.jsonl`, so the hot file (and the cost of each write) stays bounded however long
 * the bot runs.
 */
export class Store {
  readonly dir: string;
  readonly imagesDir: string;
  private readonly db: Low<StoreData>;
  private readonly opts: Required<Omit<StoreOptions, 'logger' | 'now' | 'dir'>>;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly byId = new Map<string, Job>();
  private writing: Promise<void> | null = null;
  private pending: Promise<void> | null = null;
  private lastPrune = 0;
  writes = 0;

  private constructor(options: StoreOptions) {
    this.dir = options.dir;
    this.imagesDir = join(options.dir, 'images');
    this.opts = {
      finishedJobs: options.finishedJobs ?? 1000,
      finishedJobDays: options.finishedJobDays ?? 7,
      ledgerDays: options.ledgerDays ?? 35,
      dedupHours: options.dedupHours ?? 24,
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
    await store.db.read();
    store.db.data = { ...emptyData(), ...store.db.data };
    for (const job of store.db.data.jobs) store.byId.set(job.id, job);
    return store;
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
      this.writes++;
      this.writing = this.db.write();
      try {
        await this.writing;
      } finally {
        this.writing = null;
      }
    })();
    this.pending = pending;
    return pending;
  }

  /** Remembers a message id; false when it was already seen (a re-push). Synchronous: no race. */
  markSeen(messageId: string): boolean {
    if (this.data.seen[messageId] !== undefined) return false;
    this.data.seen[messageId] = this.now();
    return true;
  }

  nextJobId(): string {
    this.data.seq += 1;
    return `J${this.data.seq.toString(36).toUpperCase().padStart(4, '0')}`;
  }

  addJob(job: Job): void {
    this.data.jobs.push(job);
    this.byId.set(job.id, job);
  }

  job(id: string): Job | undefined {
    return this.byId.get(id) ?? this.byId.get(id.toUpperCase());
  }

  jobs(): readonly Job[] {
    return this.data.jobs;
  }

  activeJobs(): Job[] {
    return this.data.jobs.filter((j) => ACTIVE_STATES.includes(j.state));
  }

  update(job: Job, patch: Partial<Job>): Job {
    Object.assign(job, patch, { updatedAt: this.now() });
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
    if (now - this.lastPrune < 60_000 && this.data.jobs.length <= this.opts.finishedJobs * 2) return;
    this.lastPrune = now;
    const d = this.data;
    const seenCutoff = now - this.opts.dedupHours * 3_600_000;
    for (const [id, at] of Object.entries(d.seen)) if (at < seenCutoff) delete d.seen[id];
    const ledgerCutoff = now - this.opts.ledgerDays * DAY;
    if (d.ledger.length && d.ledger[0]!.at < ledgerCutoff)
      d.ledger = d.ledger.filter((e) => e.at >= ledgerCutoff);
    if (d.adminLog.length && d.adminLog[0]!.at < ledgerCutoff)
      d.adminLog = d.adminLog.filter((e) => e.at >= ledgerCutoff);
    const days = Object.keys(d.usage).sort();
    for (const day of days.slice(0, Math.max(0, days.length - this.opts.ledgerDays))) delete d.usage[day];

    const finished = d.jobs.filter((j) => !ACTIVE_STATES.includes(j.state));
    const jobCutoff = now - this.opts.finishedJobDays * DAY;
    const excess = finished.length - this.opts.finishedJobs;
    const archived = new Set<Job>();
    for (const [i, j] of finished.entries()) if (i < excess || j.updatedAt < jobCutoff) archived.add(j);
    if (archived.size === 0) return;
    d.jobs = d.jobs.filter((j) => !archived.has(j));
    for (const j of archived) this.byId.delete(j.id);
    const lines = `${[...archived].map((j) => JSON.stringify(j)).join('\n')}\n`;
    // The archive is append-only history; losing it to a crash costs nothing the bot needs.
    appendFile(join(this.dir, 'jobs-archive.jsonl'), lines).catch((err) =>
      this.log.warn({ err }, 'could not append to jobs-archive.jsonl'),
    );
  }

  async close(): Promise<void> {
    await this.commit();
  }
}
