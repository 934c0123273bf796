/** Shared by status and wait: find an existing task under the req_key(s) a --model value may mean. */
import type { JimengClient, TaskResult } from '../../jimeng/client.js';
import { isJimengError } from '../../jimeng/errors.js';
import { getModel, isModelTier, MODELS, type ModelInfo } from '../../jimeng/models.js';
import { UsageError } from '../usage-error.js';

/** The req_keys a --model value may mean for an existing task (a tier covers all of its keys). */
export function candidateKeys(model: string | undefined, command: string): ModelInfo[] {
  if (!model) throw new UsageError('MISSING_MODEL', {}, command);
  if (isModelTier(model)) return MODELS.filter((m) => m.tier === model);
  const m = getModel(model);
  if (!m) throw new UsageError('UNKNOWN_MODEL', { model }, command);
  return [m];
}

/** The first answer that is not "not found" (the service answers only for the key the task was made with). */
export async function findTask(
  client: JimengClient,
  taskId: string,
  candidates: ModelInfo[],
): Promise<{ reqKey: string; result: TaskResult }> {
  let found: { reqKey: string; result: TaskResult } | undefined;
  let lastError: unknown;
  let lastResult: { reqKey: string; result: TaskResult } | undefined;
  for (const m of candidates) {
    try {
      const result = await client.getResult(taskId, m.reqKey);
      // 50215 under a tier's other keys means "not this req_key", not "the task failed".
      const wrongKey = result.status === 'failed' && result.error?.code === 'INVALID_INPUT';
      if ((result.status !== 'not_found' && !wrongKey) || candidates.length === 1) {
        return { reqKey: m.reqKey, result };
      }
      if (!wrongKey) found ??= { reqKey: m.reqKey, result };
      else lastResult ??= { reqKey: m.reqKey, result };
    } catch (e) {
      if (isJimengError(e) && e.code === 'INVALID_INPUT' && candidates.length > 1) {
        lastError = e;
        continue;
      }
      throw e;
    }
  }
  const answer = found ?? lastResult;
  if (!answer) throw lastError;
  return answer;
}
