import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StorePort } from '../../src/store/port.js';

const CHILD = fileURLToPath(new URL('./pg-replica-child.ts', import.meta.url));

/** A PgStore replica in another process (pg-replica-child.ts): call its store, or kill -9 it. */
export interface ReplicaProcess {
  /** Its replica id. */
  id: string;
  call<K extends keyof StorePort>(
    op: K,
    ...args: Parameters<StorePort[K]>
  ): Promise<Awaited<ReturnType<StorePort[K]>>>;
  /** SIGKILL: its claims stay in the database, its liveness is no longer renewed. */
  kill(): Promise<void>;
}

export async function startReplicaProcess(url: string, timeoutMs: number): Promise<ReplicaProcess> {
  const proc = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PG_URL: url, REPLICA_TIMEOUT_MS: String(timeoutMs) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const id = await new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`replica process exited (${code}) before it was ready`)));
    proc.on('message', (m: { ready?: string; id?: number; result?: unknown; error?: string }) => {
      if (m.ready) resolve(m.ready);
      const w = m.id !== undefined ? waiting.get(m.id) : undefined;
      if (!w) return;
      waiting.delete(m.id!);
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.result);
    });
  });
  return {
    id,
    call: (op, ...args) =>
      new Promise((resolve, reject) => {
        const n = ++seq;
        waiting.set(n, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id: n, op, args });
      }),
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
