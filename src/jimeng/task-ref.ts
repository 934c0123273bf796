/** Checks a (taskId, reqKey) pair before polling: the service answers only for the key the task was made with. */
import { JimengError } from './errors.js';
import type { ModelCatalog } from './model-catalog.js';

export function checkTaskRef(taskId: string, reqKey: string, catalog: ModelCatalog): void {
  if (!taskId || typeof taskId !== 'string') {
    throw new JimengError({
      code: 'BAD_TASK_ID',
      message: 'taskId is required',
      audience: 'user',
      retryable: false,
      details: { value: String(taskId ?? '') },
    });
  }
  if (!catalog.get(reqKey)) {
    throw new JimengError({
      code: 'BAD_MODEL',
      message: `unknown req_key ${JSON.stringify(reqKey)} (must be the key the task was submitted with)`,
      audience: 'user',
      retryable: false,
      details: { model: String(reqKey) },
    });
  }
}
