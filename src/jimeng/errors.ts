/** Typed errors of the Jimeng client: a stable string code, who must act, and a Chinese message for users. */

export type JimengErrorCode =
  // content / business answers from the service
  | 'CONTENT_RISK_INPUT_TEXT'
  | 'CONTENT_RISK_INPUT_IMAGE'
  | 'CONTENT_RISK_OUTPUT_TEXT'
  | 'CONTENT_RISK_OUTPUT'
  | 'RISK_SERVICE_ERROR'
  | 'INVALID_INPUT'
  | 'ACCESS_DENIED'
  | 'QPS_LIMIT'
  | 'CONCURRENCY_LIMIT'
  | 'INTERNAL'
  // gateway
  | 'SIGNATURE'
  | 'AUTH'
  | 'BAD_REQUEST'
  // local validation
  | 'PROMPT_EMPTY'
  | 'PROMPT_TOO_LONG'
  | 'BAD_DURATION'
  | 'BAD_RATIO'
  | 'BAD_SEED'
  | 'BAD_MODEL'
  | 'IMAGE_REQUIRED'
  | 'IMAGE_NOT_ALLOWED'
  | 'IMAGE_COUNT'
  | 'IMAGE_FORMAT'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_DIMENSIONS'
  | 'IMAGE_ASPECT'
  | 'IMAGE_URL'
  | 'IMAGE_MIXED'
  // transport and task
  | 'NETWORK'
  | 'TIMEOUT'
  | 'TASK_FAILED'
  | 'TASK_NOT_FOUND'
  | 'TASK_EXPIRED'
  | 'ABORTED'
  | 'BAD_RESPONSE'
  | 'DOWNLOAD_FAILED'
  | 'UNKNOWN';

/** Who must act: the end user (change the prompt/image), the operator (config), or nobody (try again later). */
export type JimengErrorAudience = 'user' | 'operator' | 'transient';

export interface JimengErrorInit {
  code: JimengErrorCode;
  message: string;
  userMessage: string;
  audience: JimengErrorAudience;
  retryable: boolean;
  jimengCode?: number;
  gatewayCode?: string;
  httpStatus?: number;
  requestId?: string;
  maybeCreated?: boolean;
  cause?: unknown;
}

export class JimengError extends Error {
  override readonly name = 'JimengError';
  readonly code: JimengErrorCode;
  /** Numeric business code from the service (50413, 50429, …) or the gateway's CodeN. */
  readonly jimengCode?: number;
  /** Gateway error code string (SignatureDoesNotMatch, InvalidAccessKey, …). */
  readonly gatewayCode?: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  /** Whether trying again (maybe later) may succeed. */
  readonly retryable: boolean;
  /** Short Simplified Chinese explanation for the end user. */
  readonly userMessage: string;
  readonly audience: JimengErrorAudience;
  /** A submit failed in a way that leaves it unknown whether the service created (and bills) a task. */
  readonly maybeCreated: boolean;

  constructor(init: JimengErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.jimengCode = init.jimengCode;
    this.gatewayCode = init.gatewayCode;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.userMessage = init.userMessage;
    this.audience = init.audience;
    this.maybeCreated = init.maybeCreated ?? false;
  }

  /** A copy with some fields changed (e.g. maybeCreated on a submit). */
  with(changes: Partial<JimengErrorInit>): JimengError {
    return new JimengError({
      code: this.code,
      message: this.message,
      userMessage: this.userMessage,
      audience: this.audience,
      retryable: this.retryable,
      jimengCode: this.jimengCode,
      gatewayCode: this.gatewayCode,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      maybeCreated: this.maybeCreated,
      cause: this.cause,
      ...changes,
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      userMessage: this.userMessage,
      audience: this.audience,
      retryable: this.retryable,
      jimengCode: this.jimengCode,
      gatewayCode: this.gatewayCode,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      maybeCreated: this.maybeCreated,
    };
  }
}

export function isJimengError(e: unknown): e is JimengError {
  return e instanceof JimengError;
}

type Mapping = Pick<JimengErrorInit, 'code' | 'userMessage' | 'audience' | 'retryable'>;

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
const INTERNAL: Mapping = {
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

const AUTH_CODES = new Set([
  'SignatureDoesNotMatch',
  'InvalidAccessKey',
  'InvalidCredential',
  'InvalidAuthorization',
  'MissingAuthenticationToken',
  'MissingSignature',
  'InvalidTimestamp',
  'RequestExpired',
  'AccessKeyDisabled',
]);

/** Maps a gateway `ResponseMetadata.Error` (auth, signature, throttling) to a JimengError. */
export function fromGatewayError(
  err: { Code?: string; CodeN?: number; Message?: string },
  ctx: ErrorContext = {},
): JimengError {
  const gatewayCode = err.Code ?? 'Unknown';
  const status = ctx.httpStatus ?? 0;
  const base = {
    message:
      `Jimeng gateway error ${gatewayCode}${err.CodeN ? ` (${err.CodeN})` : ''}: ${err.Message ?? ''}`.trim(),
    gatewayCode,
    jimengCode: err.CodeN,
    httpStatus: ctx.httpStatus,
    requestId: ctx.requestId,
  };
  if (gatewayCode === 'SignatureDoesNotMatch' || AUTH_CODES.has(gatewayCode) || status === 401) {
    return new JimengError({
      ...base,
      code: gatewayCode === 'SignatureDoesNotMatch' ? 'SIGNATURE' : 'AUTH',
      userMessage: '视频服务配置有误（密钥校验失败），请联系管理员检查 AK/SK 与服务器时间。',
      audience: 'operator',
      retryable: false,
    });
  }
  if (/AccessDenied|Forbidden|NotOpen|NotEnabled/i.test(gatewayCode) || status === 403) {
    return new JimengError({
      ...base,
      code: 'ACCESS_DENIED',
      userMessage: '视频服务暂不可用（账号没有权限），请联系管理员。',
      audience: 'operator',
      retryable: false,
    });
  }
  if (/FlowLimit|Throttl|LimitExceeded|TooMany/i.test(gatewayCode) || status === 429) {
    return new JimengError({ ...base, ...SERVICE_CODES[50429]! });
  }
  if (status >= 500 || /Internal|ServiceUnavailable|Timeout/i.test(gatewayCode)) {
    return new JimengError({ ...base, ...INTERNAL });
  }
  return new JimengError({
    ...base,
    code: 'BAD_REQUEST',
    userMessage: '视频服务请求被拒绝，请联系管理员。',
    audience: 'operator',
    retryable: false,
  });
}

/** A local validation error (never reaches the network). */
export function validationError(code: JimengErrorCode, userMessage: string, message?: string): JimengError {
  return new JimengError({
    code,
    message: message ?? userMessage,
    userMessage,
    audience: 'user',
    retryable: false,
  });
}
