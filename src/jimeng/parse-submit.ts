/** Reads a CVSync2AsyncSubmitTask answer: the task id, or the JimengError the answer means. */
import { badResponse, readEnvelope, SUCCESS_CODE, str } from './response-envelope.js';
import { fromServiceCode } from './service-codes.js';

export interface SubmitAnswer {
  taskId: string;
  requestId?: string;
}

export function parseSubmitResponse(
  httpStatus: number,
  text: string,
  headerRequestId?: string,
): SubmitAnswer {
  const env = readEnvelope(httpStatus, text, headerRequestId);
  if (env.code !== undefined && env.code !== SUCCESS_CODE) {
    throw fromServiceCode(env.code, env.message, { httpStatus, requestId: env.requestId });
  }
  const taskId = str(env.data?.task_id);
  if (!taskId || (env.code === undefined && httpStatus >= 400)) {
    throw badResponse(`HTTP ${httpStatus}: submit answer without task_id`, httpStatus, env.requestId);
  }
  return { taskId, requestId: env.requestId };
}
