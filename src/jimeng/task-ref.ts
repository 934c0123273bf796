/** Checks a (taskId, reqKey) pair before polling: the service answers only for the key the task was made with. */
import { JimengError } from './errors.js';
import { getModel } from './models.js';

export function checkTaskRef(taskId: string, reqKey: string): void {
  if (!taskId || typeof taskId !== 'string') {
    throw new JimengError({
      code: 'INVALID_INPUT',
      message: 'taskId is required',
      userMessage: '缺少任务号。',
      audience: 'user',
      retryable: false,
    });
  }
  if (!getModel(reqKey)) {
    throw new JimengError({
      code: 'BAD_MODEL',
      message: `unknown req_key ${JSON.stringify(reqKey)} (must be the key the task was submitted with)`,
      userMessage: `不认识的模型「${reqKey}」，查询时必须用提交任务时的 req_key。`,
      audience: 'user',
      retryable: false,
    });
  }
}
