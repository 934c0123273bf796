import { EngineStore } from '../engine/engine-store.js';
import type { RetentionOptions } from '../engine/retention.js';
import { State } from '../engine/state.js';
import type { Job } from '../records.js';

export interface MemoryStoreOptions {
  retention?: Partial<RetentionOptions>;
  now?: () => number;
}

/** The store in memory only: the same operations and guarantees (but durability) for fast tests. */
export class MemoryStore extends EngineStore {
  private readonly images = new Map<string, Uint8Array[]>();
  /** Jobs retention took out (oldest first), as the file store's archive would hold them. */
  readonly archived: Job[] = [];

  constructor(opts: MemoryStoreOptions = {}) {
    super(new State(), opts);
  }

  protected async persist(): Promise<void> {
    this.pruneIfDue();
    this.state.takeChanges();
  }

  protected archive(jobs: Job[]): void {
    this.archived.push(...jobs);
  }

  protected async saveImages(jobId: string, images: Uint8Array[]): Promise<void> {
    this.images.set(
      jobId,
      images.map((b) => new Uint8Array(b)),
    );
  }

  protected async loadImages(jobId: string): Promise<Uint8Array[]> {
    return (this.images.get(jobId) ?? []).map((b) => new Uint8Array(b));
  }

  protected dropImages(jobId: string): void {
    this.images.delete(jobId);
  }

  async close(): Promise<void> {}
}
