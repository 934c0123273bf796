import { type FileHandle, open, readFile, rename } from 'node:fs/promises';
import type { Changes, StoreData } from '../engine/state.js';
import type { AdminLogEntry, ChatFacts, DayUsage, InboxItem, Job, LedgerEntry } from '../records.js';
import { StoreError } from '../store-error.js';
import { syncDir } from './durable-write.js';

/** The small settings, written whole when any of them changed. */
type Meta = Pick<StoreData, 'seq' | 'userLimits' | 'extras' | 'chatLimit' | 'paused'>;

/** One line of state.journal: everything one commit changed (whole records, which replace old ones). */
export interface Batch {
  n: number;
  j?: Job[];
  l?: LedgerEntry[];
  u?: Record<string, DayUsage>;
  s?: Record<string, number>;
  /** Inbox items added or changed, and ids taken out. */
  i?: InboxItem[];
  x?: string[];
  a?: AdminLogEntry[];
  m?: Meta;
  c?: Record<string, ChatFacts>;
}

/** The journal line for `changes` (serialised now: later changes belong to the next batch). */
export function batchLine(n: number, changes: Changes, d: StoreData): string {
  const b: Batch = { n };
  if (changes.jobs.size) b.j = [...changes.jobs];
  if (changes.ledger.size) b.l = [...changes.ledger];
  if (changes.days.size)
    b.u = Object.fromEntries([...changes.days].flatMap((day) => (d.usage[day] ? [[day, d.usage[day]]] : [])));
  if (Object.keys(changes.seen).length) b.s = changes.seen;
  if (changes.inbox.size) b.i = [...changes.inbox.values()];
  if (changes.inboxRemoved.size) b.x = [...changes.inboxRemoved];
  if (changes.admin.length) b.a = changes.admin;
  if (changes.meta)
    b.m = {
      seq: d.seq,
      userLimits: d.userLimits,
      extras: d.extras,
      chatLimit: d.chatLimit,
      paused: d.paused,
    };
  if (changes.chats.size) b.c = Object.fromEntries([...changes.chats].map((id) => [id, d.chats[id] ?? {}]));
  return `${JSON.stringify(b)}\n`;
}

/** Applies one batch to `d` (replacing whole records); `jobs`/`ledger` index the arrays by id. */
export function applyBatch(
  d: StoreData,
  b: Batch,
  jobs: Map<string, number>,
  ledger: Map<string, number>,
): void {
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
  for (const raw of b.i ?? []) {
    // A version-1 journal holds the messages themselves, keyed by messageId (migrate.ts converts them).
    const id = (raw as { id?: string }).id ?? (raw as unknown as { messageId: string }).messageId;
    const at = d.inbox.findIndex(
      (m) => ((m as { id?: string }).id ?? (m as unknown as { messageId: string }).messageId) === id,
    );
    if (at >= 0) d.inbox[at] = raw;
    else d.inbox.push(raw);
  }
  if (b.x?.length) {
    const gone = new Set(b.x);
    d.inbox = d.inbox.filter(
      (m) => !gone.has((m as { id?: string }).id ?? (m as unknown as { messageId: string }).messageId),
    );
  }
  d.adminLog.push(...(b.a ?? []));
  if (b.m) Object.assign(d, b.m);
  if (b.c) d.chats = { ...d.chats, ...b.c };
  d.journalSeq = b.n;
}

export interface ReplayReport {
  batches: number;
  /** A last line cut short by a crash mid-append: that commit was never acknowledged. */
  tornTail: boolean;
}

/** Applies the journal's batches newer than the snapshot. A corrupt line before the last stops the start. */
export function replay(file: string, text: string, d: StoreData): ReplayReport {
  const lines = text.split('\n');
  const jobs = new Map(d.jobs.map((j, i) => [j.id, i] as const));
  const ledger = new Map(d.ledger.map((e, i) => [e.jobId, i] as const));
  let batches = 0;
  let tornTail = false;
  for (const [k, line] of lines.entries()) {
    if (!line) continue;
    let b: Batch;
    try {
      b = JSON.parse(line) as Batch;
    } catch {
      if (k >= lines.length - 2) {
        tornTail = true;
        continue;
      }
      throw new StoreError(
        'STORE_CORRUPT',
        file,
        `${file} is damaged at line ${k + 1} (not the last line, so it is not a crash mid-write); nothing was changed. Restore the data folder from a backup, or move ${file} away to start from state.json alone (losing the changes since the last snapshot).`,
      );
    }
    if (b.n <= d.journalSeq) continue;
    applyBatch(d, b, jobs, ledger);
    batches++;
  }
  return { batches, tornTail };
}

export async function readJournal(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new StoreError(
      'STORE_UNREADABLE',
      file,
      `cannot read ${file} (${code ?? String(err)}); check the file's permissions`,
    );
  }
}

/** The append-only journal file; every append is synced (fdatasync) before it resolves. */
export class JournalFile {
  private fh: FileHandle | undefined;
  bytes = 0;

  constructor(
    readonly path: string,
    readonly dir: string,
    private readonly sync = true,
  ) {}

  async open(): Promise<void> {
    this.fh = await open(this.path, 'a');
    this.bytes = (await this.fh.stat()).size;
    await syncDir(this.dir);
  }

  get isOpen(): boolean {
    return this.fh !== undefined;
  }

  async append(line: string): Promise<void> {
    if (!this.fh) throw new Error('journal is closed');
    await this.fh.write(line);
    if (this.sync) await this.fh.datasync();
    this.bytes += Buffer.byteLength(line);
  }

  /** Moves the current journal to `to` and starts an empty one. */
  async rotate(to: string): Promise<void> {
    await this.fh?.close();
    await rename(this.path, to);
    this.fh = await open(this.path, 'a');
    this.bytes = 0;
    await syncDir(this.dir);
  }

  async truncate(): Promise<void> {
    await this.fh?.truncate(0);
    await this.fh?.datasync();
    this.bytes = 0;
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
  }
}
