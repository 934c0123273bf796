/** A client whose every answer is reported (for the account pool): what worked, and what was refused. */
import type { JimengClient } from './client.js';
import type { TaskResult } from './parse-result.js';

/** The calls the job layer makes. */
export type PoolClient = Pick<JimengClient, 'submit' | 'getResult'>;

export type CallOutcome = { ok: true } | { error: unknown };

/**
 * Wraps `client` so each submit and get-result reports its outcome for its req_key: a thrown error, a task
 * answered as failed for access (50400), or a call that worked (the credentials and the model are good).
 */
export function observedClient(
  client: JimengClient,
  report: (model: string, o: CallOutcome) => void,
): PoolClient {
  return {
    submit: async (req, opts) => {
      try {
        const r = await client.submit(req, opts);
        report(r.reqKey, { ok: true });
        return r;
      } catch (error) {
        report(client.catalog.get(req.model)?.reqKey ?? req.model, { error });
        throw error;
      }
    },
    getResult: async (taskId, reqKey, opts) => {
      let r: TaskResult;
      try {
        r = await client.getResult(taskId, reqKey, opts);
      } catch (error) {
        report(reqKey, { error });
        throw error;
      }
      report(reqKey, r.error?.code === 'ACCESS_DENIED' ? { error: r.error } : { ok: true });
      return r;
    },
  };
}
