import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { StoreError } from '../store-error.js';
import { writeDurably } from './durable-write.js';

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** The error for a JSON file that does not parse, naming the file, the place and what to do. */
export function corruptError(path: string, text: string, err: unknown, fix: string): StoreError {
  const raw = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(raw);
  const where = pos ? lineColumn(text, Number(pos[1])) : undefined;
  const reason = raw
    .replace(/\s*in JSON at position \d+.*$/, '')
    .replace(/^Unexpected end of JSON input$/, 'it ends too early (truncated)');
  const at = where ? ` at line ${where.line}, column ${where.column}` : '';
  return new StoreError(
    'STORE_CORRUPT',
    path,
    `${path} is damaged${at} (${reason}); nothing was changed. ${fix}`,
  );
}

export const SNAPSHOT_FIX =
  'Restore it from a backup, or move state.json and state.journal* out of the data folder to start empty.';

/**
 * lowdb adapter for the snapshot: reads with an error that says where the file is broken, and writes
 * durably (see writeDurably). The document is serialised when `write` is called, so a write started at
 * a commit boundary holds exactly the state of that moment.
 */
export class SnapshotFile<T> implements Adapter<T> {
  constructor(readonly path: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      throw new StoreError(
        'STORE_UNREADABLE',
        this.path,
        `cannot read ${this.path} (${code ?? String(err)}); check the file's permissions and the DATA_DIR setting`,
      );
    }
    if (text.trim() === '')
      throw corruptError(this.path, text, new Error('Unexpected end of JSON input'), SNAPSHOT_FIX);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw corruptError(this.path, text, err, SNAPSHOT_FIX);
    }
  }

  /** Serialises now, writes in the background of the caller's await. */
  write(data: T): Promise<void> {
    return writeDurably(this.path, JSON.stringify(data));
  }
}
