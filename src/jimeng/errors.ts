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
