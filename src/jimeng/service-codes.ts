/** The service's business codes (the reference doc's table) mapped to JimengErrors. */
import { JimengError, type JimengErrorInit } from './errors.js';

export type Mapping = Pick<JimengErrorInit, 'code' | 'userMessage' | 'audience' | 'retryable'>;

const RISK_TEXT: Mapping = {
  code: 'CONTENT_RISK_INPUT_TEXT',
  userMessage: '描述文字未通过内容审核，请修改描述后再试。',
  audience: 'user',
  retryable: false,
};
const RISK_IMAGE: Mapping = {
  code: 'CONTENT_RISK_INPUT_IMAGE',
  userMessage: '图片未通过内容审核（可能涉及敏感或版权内容），请更换图片后再试。',
  audience: 'user',
  retryable: false,
};
const RISK_OUTPUT: Mapping = {
  code: 'CONTENT_RISK_OUTPUT',
  userMessage: '生成的视频未通过内容审核，可以重试一次，或稍微修改描述。',
  audience: 'user',
  retryable: true,
};
const RISK_SERVICE: Mapping = {
  code: 'RISK_SERVICE_ERROR',
  userMessage: '内容审核服务暂时异常，请稍后再试。',
  audience: 'transient',
  retryable: false,
};
export const INTERNAL: Mapping = {
  code: 'INTERNAL',
  userMessage: '即梦服务内部错误，请稍后再试。',
  audience: 'transient',
  retryable: true,
};

/** Business codes from the reference doc's table. */
export const SERVICE_CODES: Readonly<Record<number, Mapping>> = {
  50411: RISK_IMAGE,
  50412: RISK_TEXT,
  50413: RISK_TEXT,
  50512: {
    code: 'CONTENT_RISK_OUTPUT_TEXT',
    userMessage: '描述内容未通过审核，请修改描述后再试。',
    audience: 'user',
    retryable: false,
  },
  50511: RISK_OUTPUT,
  50516: RISK_OUTPUT,
  50517: RISK_OUTPUT,
  50519: RISK_OUTPUT,
  50518: RISK_IMAGE,
  50520: RISK_SERVICE,
  50521: RISK_SERVICE,
  50522: RISK_SERVICE,
  50215: {
    code: 'INVALID_INPUT',
    userMessage: '请求参数不被即梦接受（图片或参数不符合要求），请检查后再试。',
    audience: 'user',
    retryable: false,
  },
  50400: {
    code: 'ACCESS_DENIED',
    userMessage: '视频服务暂不可用（账号未开通该模型），请联系管理员。',
    audience: 'operator',
    retryable: false,
  },
  50429: {
    code: 'QPS_LIMIT',
    userMessage: '请求太频繁，请稍后再试。',
    audience: 'transient',
    retryable: true,
  },
  50430: {
    code: 'CONCURRENCY_LIMIT',
    userMessage: '当前生成任务太多，请稍后再试。',
    audience: 'transient',
    retryable: true,
  },
  50500: INTERNAL,
  50501: INTERNAL,
};

export interface ErrorContext {
  httpStatus?: number;
  requestId?: string;
}

/** Maps a business `code` (non-10000) from the service to a JimengError. */
export function fromServiceCode(
  code: number,
  message: string | undefined,
  ctx: ErrorContext = {},
): JimengError {
  const known = SERVICE_CODES[code];
  const mapping: Mapping = known ?? {
    code: 'UNKNOWN',
    userMessage: '即梦服务返回了未知错误，请稍后再试或联系管理员。',
    audience: 'operator',
    retryable: (ctx.httpStatus ?? 0) >= 500,
  };
  return new JimengError({
    ...mapping,
    message: `Jimeng error ${code}: ${message ?? 'no message'}`,
    jimengCode: code,
    httpStatus: ctx.httpStatus,
    requestId: ctx.requestId,
  });
}
