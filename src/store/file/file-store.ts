import { appendFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { type Logger, silentLogger } from '../../log.js';
import { EngineStore } from '../engine/engine-store.js';
import type { RetentionOptions } from '../engine/retention.js';
import { State, type StoreData } from '../engine/state.js';
import type { Job } from '../records.js';
import { syncDir, writeDurably } from './durable-write.js';
import { batchLine, JournalFile, readJournal, replay } from './journal.js';
import { migrate } from './migrate.js';
import { SnapshotFile } from './snapshot-file.js';

export interface FileStoreOptions {
  dir: string;
  retention?: Partial<RetentionOptions>;
  /** Journal size that may trigger a snapshot (it also needs twice the snapshot's size). Default 16 MiB. */
  compactBytes?: number;
  logger?: Logger;
  now?: () => number;
  /**
   * Sync each commit to disk before reporting it done (default true). `false` exists only so the
   * benchmark can show what durability costs; never run the bot with it.
   */
  syncCommits?: boolean;
}

/**
 * Replaying 16 MB of journal at start takes a fraction of a second, and each snapshot serialises the whole
 * state on the event loop, so snapshots should be rare.
 */
const MIN_COMPACT_BYTES = 16 * 1024 * 1024;

/**
 * The embedded default store, for one process: the state in memory, made durable in
 *
 * - `state.json`, a lowdb document of everything (the snapshot), written durably (snapshot-file.ts);
 * - `state.journal`, one JSON line per commit holding only the records that commit changed, synced
 *   (fdatasync) before the commit is reported done.
 *
 * Why not let lowdb rewrite the whole document on every change: the cost would grow with the history
 * and every webhook acknowledgement would wait for it. Appending the changed records costs the same
 * however much history there is; the journal is folded into a new snapshot when it outgrows the snapshot
 * (in the background: commits go on to a fresh journal), on close, and when retention drops records.
 * Commits are grouped: every operation that arrives while a write is in flight shares the next one, so a
 * burst of N changes costs about two appends and two syncs, not N. A torn last line (a crash mid-append)
 * is a commit that was never acknowledged and is dropped. Images wait in `images/` until submitted;
 * finished jobs beyond the retention window go to the append-only `jobs-archive.jsonl`.
 */
export class FileStore extends EngineStore {
  readonly dir: string;
  /** File writes so far (journal appends and snapshots). */
  writes = 0;
  snapshots = 0;
  private readonly log: Logger;
  private readonly db: Low<StoreData>;
  private readonly snapshotFile: SnapshotFile<StoreData>;
  private readonly journal: JournalFile;
  private readonly oldJournalPath: string;
  private readonly imagesDir: string;
  private readonly compactBytes: number;
  private snapshotBytes = 0;
  private writing: Promise<void> | null = null;
  private pending: Promise<void> | null = null;
  private needSnapshot = false;
  private snapshotNow = false;
  private snapshotting: Promise<void> | null = null;

  private constructor(
    opts: FileStoreOptions,
    state: State,
    db: Low<StoreData>,
    file: SnapshotFile<StoreData>,
  ) {
    super(state, opts);
    this.dir = opts.dir;
    this.log = opts.logger ?? silentLogger;
    this.db = db;
    this.snapshotFile = file;
    this.journal = new JournalFile(join(opts.dir, 'state.journal'), opts.dir, opts.syncCommits ?? true);
    this.oldJournalPath = join(opts.dir, 'state.journal.1');
    this.imagesDir = join(opts.dir, 'images');
    this.compactBytes = opts.compactBytes ?? MIN_COMPACT_BYTES;
  }

  /** Opens (or creates) the store in `dir`. Throws a StoreError, changing nothing, when a file is damaged. */
  static async open(opts: FileStoreOptions): Promise<FileStore> {
    const log = opts.logger ?? silentLogger;
    await mkdir(join(opts.dir, 'images'), { recursive: true });
    const { db, file, data, replayed, fromVersion } = await load(opts.dir, log);
    const store = new FileStore(opts, new State(data), db, file);
    if (fromVersion === 1) await store.renameV1Images();
    await store.journal.open();
    // Start from a clean snapshot and an empty journal (this also drops a torn last line).
    if (replayed || fromVersion === 1) await store.blockingSnapshot();
    return store;
  }

  /** The state as a restart would see it (snapshot + journals), read without writing anything. */
  static async inspect(opts: { dir: string }): Promise<StoreData> {
    return (await load(opts.dir, silentLogger)).data;
  }

  /** A copy of the state in memory, as `inspect` would read it back (tests compare the two). */
  dump(): StoreData {
    return structuredClone(this.state.data);
  }

  protected persist(): Promise<void> {
    if (this.pending) return this.pending;
    const pending = (async () => {
      // Yield first, so `this.pending` is set before this body runs.
      await (this.writing ?? Promise.resolve()).catch(() => {});
      // From here on, changes belong to the next commit; this write covers everything made until now.
      this.pending = null;
      if (this.pruneIfDue()) this.needSnapshot = true;
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

  private async flush(): Promise<void> {
    if (!this.journal.isOpen || this.snapshotNow) {
      this.snapshotNow = false;
      await this.blockingSnapshot();
      return;
    }
    const d = this.state.data;
    const changes = this.state.takeChanges();
    if (changes.empty && !this.needSnapshot) return;
    let line: string | undefined;
    if (!changes.empty) {
      d.journalSeq += 1;
      line = batchLine(d.journalSeq, changes, d);
    }
    // A snapshot serialised in this same tick holds exactly the batches up to this one.
    const due = this.needSnapshot || this.journal.bytes > Math.max(this.compactBytes, 2 * this.snapshotBytes);
    const snapshot = due && !this.snapshotting ? JSON.stringify(d) : undefined;
    try {
      if (line !== undefined) {
        this.writes++;
        await this.journal.append(line);
      }
    } catch (err) {
      // The changes are in memory but not on disk: the next commit writes everything as a snapshot.
      this.needSnapshot = true;
      throw err;
    }
    if (snapshot === undefined) return;
    this.needSnapshot = false;
    // Commits go on appending to a fresh journal while the snapshot is written; the old journal is
    // deleted once the snapshot is in place (until then a restart replays both).
    await this.journal.rotate(this.oldJournalPath);
    this.snapshotting = this.writeSnapshot(snapshot)
      .catch((err) => {
        this.needSnapshot = true; // both journals are still there; try again on a later commit
        this.log.error({ err }, 'could not write the state.json snapshot; the journal keeps the changes');
      })
      .finally(() => {
        this.snapshotting = null;
      });
  }

  private async writeSnapshot(text: string): Promise<void> {
    this.writes++;
    this.snapshots++;
    await writeDurably(this.snapshotFile.path, text);
    this.snapshotBytes = Buffer.byteLength(text);
    await rm(this.oldJournalPath, { force: true });
    await syncDir(this.dir);
  }

  /** Writes the whole state and empties the journals, with no commit in between (open and close). */
  private async blockingSnapshot(): Promise<void> {
    await this.snapshotting;
    this.state.takeChanges();
    this.needSnapshot = false;
    this.db.data = this.state.data;
    const text = JSON.stringify(this.state.data);
    await this.writeSnapshot(text);
    await this.journal.truncate();
  }

  protected archive(jobs: Job[]): void {
    const lines = `${jobs.map((j) => JSON.stringify(j)).join('\n')}\n`;
    // Append-only history: losing its tail to a crash costs nothing the bot needs, so it is not synced.
    appendFile(join(this.dir, 'jobs-archive.jsonl'), lines).catch((err) =>
      this.log.warn({ err }, 'could not append to jobs-archive.jsonl'),
    );
  }

  private imagePath(jobId: string, i: number): string {
    return join(this.imagesDir, `${jobId}-${i}.img`);
  }

  protected async saveImages(jobId: string, images: Uint8Array[]): Promise<void> {
    for (const [i, bytes] of images.entries()) await writeDurably(this.imagePath(jobId, i), bytes);
  }

  protected async loadImages(jobId: string): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (let i = 0; ; i++) {
      try {
        out.push(new Uint8Array(await readFile(this.imagePath(jobId, i))));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
        throw err;
      }
    }
  }

  protected dropImages(jobId: string): void {
    for (let i = 0; i < 4; i++) void rm(this.imagePath(jobId, i), { force: true });
  }

  /** Version 1 kept a queued job's image as images/<id>.img. */
  private async renameV1Images(): Promise<void> {
    for (const j of this.state.data.jobs) {
      if (!j.images?.length) continue;
      await rename(join(this.imagesDir, `${j.id}.img`), this.imagePath(j.id, 0)).catch(() => {});
    }
  }

  /** Writes a final snapshot (so the next start reads one file) and closes the journal. */
  async close(): Promise<void> {
    await this.persist();
    this.snapshotNow = true;
    await this.persist();
    await this.journal.close();
  }
}

async function load(dir: string, log: Logger) {
  const file = new SnapshotFile<StoreData>(join(dir, 'state.json'));
  const db = new Low<StoreData>(file, migrate({}));
  await db.read();
  const raw = (db.data ?? {}) as unknown as Record<string, unknown>;
  // No file yet reads as {}: that is a new store, not a version-1 one.
  const fromVersion = raw.version !== undefined ? Number(raw.version) : Object.keys(raw).length ? 1 : 2;
  const data = { ...migrate({}), ...raw } as StoreData;
  let replayed = false;
  for (const name of ['state.journal.1', 'state.journal']) {
    const path = join(dir, name);
    const text = await readJournal(path);
    if (!text) continue;
    replayed = true;
    const r = replay(path, text, data);
    if (r.tornTail)
      log.warn(
        { file: path },
        'journal ends with a torn line (a crash mid-write); that unfinished commit is dropped',
      );
    if (r.batches)
      log.info({ file: path, batches: r.batches }, 'state restored from the snapshot and the journal');
  }
  const migrated = migrate(data as unknown as Record<string, unknown>);
  db.data = migrated;
  return { db, file, data: migrated, replayed, fromVersion };
}
