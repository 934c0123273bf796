/**
 * Bot replicas as real processes on one throwaway PostgreSQL: the fake Feishu and the Jimeng simulator in
 * this process (bot-process.ts), every bot started with the same DATABASE_URL on its own port, as two
 * replicas behind a load balancer would be. Also what the tests read back: the database's jobs and inbox,
 * and each message's answers as Feishu holds them.
 */
import pg from 'pg';
import type { Job } from '../../src/store/records.js';
import { type BotWorld, startBotWorld } from './bot-process.js';
import { type PgCluster, startPgCluster } from './pg-cluster.js';

export interface ReplicaWorld extends BotWorld {
  databaseUrl: string;
  /** Every job in the database, oldest first. */
  jobs(): Promise<Job[]>;
  /** The ids left in the inbox. */
  inbox(): Promise<string[]>;
}

export async function startReplicaWorld(opts: {
  generationMs?: number;
  simulator?: Parameters<typeof startBotWorld>[0]['simulator'];
  /** Overrides for config/default.json (the replica timeout is 2 s unless given). */
  config?: { [key: string]: unknown; database?: object };
}): Promise<ReplicaWorld> {
  const cluster: PgCluster = await startPgCluster();
  const databaseUrl = await cluster.createDatabase();
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const { database, ...rest } = opts.config ?? {};
  let world: BotWorld;
  try {
    world = await startBotWorld({
      ...(opts.generationMs !== undefined ? { generationMs: opts.generationMs } : {}),
      ...(opts.simulator ? { simulator: opts.simulator } : {}),
      config: { ...rest, database: { replicaTimeoutSeconds: 2, ...database } },
      env: { DATABASE_URL: databaseUrl },
    });
  } catch (err) {
    await db.end();
    await cluster.stop();
    throw err;
  }
  return {
    ...world,
    databaseUrl,
    jobs: async () =>
      (await db.query<{ data: Job }>('SELECT data FROM jobs ORDER BY seq')).rows.map((r) => r.data),
    inbox: async () =>
      (await db.query<{ id: string }>('SELECT id FROM inbox ORDER BY pos')).rows.map((r) => r.id),
    close: async () => {
      await world.close();
      await db.end();
      await cluster.stop();
    },
  };
}

export { finalAnswers, tasksFor } from './bot-process.js';
