import type { Logger } from '../log.js';
import type { RetentionOptions } from './engine/retention.js';
import { FileStore } from './file/file-store.js';
import { describeUrl } from './postgres/connect.js';
import { PgStore } from './postgres/pg-store.js';

export interface OpenStoreOptions {
  /** DATABASE_URL: set → PostgreSQL (one database for several replicas); empty → the file store. */
  databaseUrl: string;
  /** Where the file store lives (DATA_DIR). */
  dataDir: string;
  /** PostgreSQL connections per replica. Default 10. */
  poolSize?: number;
  /** A replica not heard from for this long is dead and its claims are free. Default 15 s. */
  replicaTimeoutMs?: number;
  retention?: Partial<RetentionOptions>;
  logger?: Logger;
}

export type OpenedStore =
  | { kind: 'file'; store: FileStore }
  | {
      kind: 'postgres';
      store: PgStore;
      /**
       * How often this replica should look for work others left (dead replicas' claims, its inbox):
       * twice per replica timeout, at most every 5 s.
       */
      sweepMs: number;
    };

/**
 * The store the configuration asks for: PostgreSQL when DATABASE_URL is set (several replicas may share
 * it), else the embedded file store (one process). A database that cannot be reached or set up throws a
 * one-line PgStoreError naming DATABASE_URL (never its password).
 */
export async function openStore(o: OpenStoreOptions): Promise<OpenedStore> {
  const log = o.logger;
  if (!o.databaseUrl) {
    const store = await FileStore.open({
      dir: o.dataDir,
      ...(o.retention ? { retention: o.retention } : {}),
      ...(log ? { logger: log } : {}),
    });
    return { kind: 'file', store };
  }
  const timeoutMs = o.replicaTimeoutMs ?? 15_000;
  const store = await PgStore.open({
    url: o.databaseUrl,
    pool: { max: o.poolSize ?? 10 },
    replica: { timeoutMs },
    ...(o.retention ? { retention: o.retention } : {}),
    ...(log ? { logger: log } : {}),
  });
  log?.info(
    { db: describeUrl(o.databaseUrl), replica: store.replica.id, replicaTimeoutMs: timeoutMs },
    'store: PostgreSQL (replicas share it)',
  );
  return { kind: 'postgres', store, sweepMs: Math.min(5_000, timeoutMs / 2) };
}
