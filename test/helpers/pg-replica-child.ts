/**
 * A PgStore replica in its own OS process, driven over IPC, so a test can SIGKILL a replica that holds
 * claims (no close, no retire: exactly what a crashed replica leaves behind). Started by
 * `startReplicaProcess` (pg-replica-process.ts); each message calls one store method.
 */
import { PgStore } from '../../src/store/postgres/pg-store.js';

const store = await PgStore.open({
  url: process.env.PG_URL ?? '',
  sweepEveryMs: 0,
  replica: { timeoutMs: Number(process.env.REPLICA_TIMEOUT_MS ?? 15_000) },
});

type Call = { id: number; op: string; args: unknown[] };
process.on('message', async (m: Call) => {
  const fn = store[m.op as keyof PgStore] as unknown as (...a: unknown[]) => Promise<unknown>;
  try {
    process.send?.({ id: m.id, result: await fn.apply(store, m.args) });
  } catch (err) {
    process.send?.({ id: m.id, error: (err as Error).message });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: store.replica.id });
