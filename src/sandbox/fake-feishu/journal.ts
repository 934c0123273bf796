/**
 * The fake Feishu on disk (the sandbox's chat history): `<dir>/journal.jsonl`, one JSON record per line,
 * and the bytes of images and uploaded files in `<dir>/blobs/<key>`.
 *
 * Records: `{"type":"message","message":{…}}` (the whole message after every change: sent, patched,
 * recalled, replaced by a callback answer, or given a thread; the last one of an id wins),
 * `{"type":"patch","patch":{messageId, content, at}}`, `{"type":"upload","upload":{…without bytes}}` and
 * `{"type":"image","image":{…without bytes}}`. Writes are synchronous appends made while the change
 * happens (before the API call is answered), so what the bot was told exists is on disk. At start the
 * journal is read back (a torn last line is skipped) and rewritten compacted.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import type { FeishuState } from './feishu-state.js';
import type { StoredImage, StoredMessage, StoredPatch, StoredUpload } from './types.js';

type Meta<T> = Omit<T, 'bytes'>;
type JournalRecord =
  | { type: 'message'; message: StoredMessage }
  | { type: 'patch'; patch: StoredPatch }
  | { type: 'upload'; upload: Meta<StoredUpload> }
  | { type: 'image'; image: Meta<StoredImage> };

const FILE = 'journal.jsonl';
const SAFE_KEY = /^[\w.-]{1,200}$/;

export class FeishuJournal {
  private readonly file: string;
  private readonly blobs: string;

  constructor(
    dir: string,
    private readonly logger: Logger,
  ) {
    this.file = join(dir, FILE);
    this.blobs = join(dir, 'blobs');
    mkdirSync(this.blobs, { recursive: true });
  }

  /** Reads the journal into `s` (which must be empty), rewrites it compacted and starts recording. */
  open(s: FeishuState): { messages: number; uploads: number; images: number } {
    const loaded = this.read();
    const byId = new Map<string, StoredMessage>();
    for (const r of loaded) {
      if (r.type === 'message') byId.set(r.message.messageId, r.message);
      else if (r.type === 'patch') s.patches.push(r.patch);
      else if (r.type === 'upload') {
        const bytes = this.readBlob(r.upload.fileKey);
        if (bytes) s.uploads.push({ ...r.upload, bytes });
      } else if (r.type === 'image') {
        const bytes = this.readBlob(r.image.imageKey);
        if (bytes) s.images.set(r.image.imageKey, { ...r.image, bytes });
      }
    }
    for (const m of byId.values()) {
      s.messages.push(m);
      s.chats.ensure(m.chatId, m.chatType);
      if (m.uuid) s.byUuid.set(m.uuid, m.messageId);
    }
    this.compact(s);
    this.record(s);
    return { messages: s.messages.length, uploads: s.uploads.length, images: s.images.size };
  }

  private read(): JournalRecord[] {
    if (!existsSync(this.file)) return [];
    const out: JournalRecord[] = [];
    const lines = readFileSync(this.file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        out.push(JSON.parse(line) as JournalRecord);
      } catch {
        this.logger.warn({ file: this.file, line: i + 1 }, 'fake feishu: skipped an unreadable journal line');
      }
    });
    return out;
  }

  private readBlob(key: string): Buffer | undefined {
    if (!SAFE_KEY.test(key)) return undefined;
    try {
      return readFileSync(join(this.blobs, key));
    } catch {
      this.logger.warn({ key }, 'fake feishu: a stored file is missing from the journal folder');
      return undefined;
    }
  }

  private compact(s: FeishuState): void {
    const records: JournalRecord[] = [
      ...[...s.images.values()].map((i): JournalRecord => ({ type: 'image', image: meta(i) })),
      ...s.uploads.map((u): JournalRecord => ({ type: 'upload', upload: meta(u) })),
      ...s.messages.map((m): JournalRecord => ({ type: 'message', message: m })),
      ...s.patches.map((p): JournalRecord => ({ type: 'patch', patch: p })),
    ];
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    renameSync(tmp, this.file);
  }

  private append(r: JournalRecord): void {
    appendFileSync(this.file, `${JSON.stringify(r)}\n`);
  }

  private writeBlob(key: string, bytes: Buffer): void {
    if (SAFE_KEY.test(key)) writeFileSync(join(this.blobs, key), bytes);
  }

  private record(s: FeishuState): void {
    const ev = s.events;
    const saveMessage = (m: StoredMessage) => this.append({ type: 'message', message: m });
    ev.on('message', (m) => {
      saveMessage(m);
      // A reply in a thread gives its parent a thread id.
      const parent = m.parentId ? s.messages.find((x) => x.messageId === m.parentId) : undefined;
      if (parent?.threadId) saveMessage(parent);
    });
    ev.on('patch', (p) => {
      this.append({ type: 'patch', patch: { messageId: p.messageId, content: p.content, at: p.at } });
      saveMessage(p.message);
    });
    ev.on('update', saveMessage);
    ev.on('recall', saveMessage);
    ev.on('upload', (u) => {
      this.writeBlob(u.fileKey, u.bytes);
      this.append({ type: 'upload', upload: meta(u) });
    });
    ev.on('image', (i) => {
      this.writeBlob(i.imageKey, i.bytes);
      this.append({ type: 'image', image: meta(i) });
    });
  }
}

function meta<T extends { bytes: Buffer }>(x: T): Omit<T, 'bytes'> {
  const { bytes: _bytes, ...rest } = x;
  return rest;
}
