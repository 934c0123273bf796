/** Get-result body validation: `{req_key, task_id, req_json?}` (req_json a JSON string). */
import { SIM_MODEL_RULES } from './model-rules.js';
import { invalid, isPlainObject, type SimValidation } from './validation.js';

/** Validates a CVSync2AsyncGetResult body: `{req_key, task_id, req_json?}`. */
export function validateGetResultBody(body: unknown): SimValidation<{ reqKey: string; taskId: string }> {
  if (!isPlainObject(body)) return invalid('body is not a JSON object');
  const { req_key: reqKey, task_id: taskId, req_json: reqJson } = body;
  if (typeof reqKey !== 'string' || !Object.hasOwn(SIM_MODEL_RULES, reqKey)) {
    return invalid(`unknown req_key ${JSON.stringify(reqKey)}`);
  }
  if (typeof taskId !== 'string' || taskId === '') return invalid('task_id is required');
  if (reqJson !== undefined) {
    if (typeof reqJson !== 'string') return invalid('req_json must be a JSON string');
    try {
      JSON.parse(reqJson);
    } catch {
      return invalid('req_json is not valid JSON');
    }
  }
  return { ok: true, value: { reqKey, taskId } };
}
