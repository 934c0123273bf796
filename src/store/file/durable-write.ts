import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file so that once this resolves it survives a power cut: temp file, fsync, rename over the
 * old one, fsync the directory (so the rename itself is on disk). lowdb's own TextFile (steno) renames
 * without syncing, which leaves an acknowledged snapshot in the page cache only.
 */
export async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'w');
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, path);
  } catch (err) {
    await fh?.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  await syncDir(dirname(path));
}

/** fsync of a directory: makes file creations, renames and deletions in it durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
