import type pg from 'pg';

/** Thrown inside `Db.tx` to roll the transaction back and resolve with `value` (a refusal, "nothing to do"). */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/** A deadlock or serialisation failure: the transaction was rolled back whole and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 4;

export type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  params?: unknown[],
) => Promise<pg.QueryResult<R>>;

/** The pool with the two ways every operation runs: one statement (its own transaction), or a transaction. */
export class Db {
  constructor(readonly pool: pg.Pool) {}

  query: Query = (text, params) => this.pool.query(text, params);

  /**
   * Runs `fn` in one READ COMMITTED transaction on one connection: committed when it resolves, rolled
   * back when it throws (a `Rollback` resolves with its value). Retried from the start on a deadlock.
   */
  async tx<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const q: Query = (text, params) => client.query(text, params);
        const result = await fn(q);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        if (err instanceof Rollback) return err.value as T;
        const code = (err as { code?: string }).code;
        if (!broken && code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) continue;
        throw err;
      } finally {
        client.release(broken);
      }
    }
  }
}

/** A count limit as SQL takes it: at least 0, whole (2.5 → 3, as a `length < limit` loop), Infinity → all. */
export const limitParam = (n: number): number =>
  Number.isFinite(n) ? Math.max(0, Math.ceil(n)) : n > 0 ? 2_147_483_647 : 0;
