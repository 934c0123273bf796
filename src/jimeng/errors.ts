/**
 * Typed errors of the Jimeng client: a stable code, who must act, and the details words would need. No
 * user-facing words here: callers (the bot, the CLI) choose their own text by `code`, in their language.
 * `message` is English and technical, for logs and operators.
 */

export const JIMENG_ERROR_CODES = [
  // content / business answers from the service
  'CONTENT_RISK_INPUT_TEXT',
  'CONTENT_RISK_INPUT_IMAGE',
  'CONTENT_RISK_OUTPUT_TEXT',
  'CONTENT_RISK_OUTPUT',
  'RISK_SERVICE_ERROR',
  'INVALID_INPUT',
  'ACCESS_DENIED',
  'QPS_LIMIT',
  'CONCURRENCY_LIMIT',
  'INTERNAL',
  // gateway
  'SIGNATURE',
  'AUTH',
  'BAD_REQUEST',
  // local validation (details: see validate.ts)
  'PROMPT_EMPTY',
  'PROMPT_TOO_LONG',
  'BAD_DURATION',
  'BAD_RATIO',
  'BAD_SEED',
  'BAD_MODEL',
  'BAD_TASK_ID',
  'MODE_UNSUPPORTED',
  'CAMERA_REQUIRED',
  'CAMERA_NOT_ALLOWED',
  'BAD_CAMERA_TEMPLATE',
  'BAD_CAMERA_STRENGTH',
  'IMAGE_REQUIRED',
  'IMAGE_NOT_ALLOWED',
  'IMAGE_COUNT',
  'IMAGE_FORMAT',
  'IMAGE_UNREADABLE',
  'IMAGE_TOO_LARGE',
  'IMAGE_DIMENSIONS',
  'IMAGE_ASPECT',
  'IMAGE_URL',
  'IMAGE_MIXED',
  // configuration
  'MISSING_CREDENTIALS',
  'BAD_PRICE',
  // transport and task
  'NETWORK',
  'TIMEOUT',
  'TASK_FAILED',
  'TASK_NOT_FOUND',
  'TASK_EXPIRED',
  'ABORTED',
  'BAD_RESPONSE',
  'DOWNLOAD_FAILED',
  'UNKNOWN',
] as const;

export type JimengErrorCode = (typeof JIMENG_ERROR_CODES)[number];

/** Who must act: the end user (change the prompt/image), the operator (config), or nobody (try again later). */
export type JimengErrorAudience = 'user' | 'operator' | 'transient';

/** What a sentence about the error needs (e.g. `{ chars, max }`); values only, never words. */
export type JimengErrorDetails = Record<string, string | number>;

export interface JimengErrorInit {
  code: JimengErrorCode;
  /** English, technical. */
  message: string;
  audience: JimengErrorAudience;
  retryable: boolean;
  details?: JimengErrorDetails;
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
  readonly details?: JimengErrorDetails;
  /** Numeric business code from the service (50413, 50429, …) or the gateway's CodeN. */
  readonly jimengCode?: number;
  /** Gateway error code string (SignatureDoesNotMatch, InvalidAccessKey, …). */
  readonly gatewayCode?: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  /** Whether trying again (maybe later) may succeed. For a failed task: whether resubmitting may. */
  readonly retryable: boolean;
  readonly audience: JimengErrorAudience;
  /** A submit failed in a way that leaves it unknown whether the service created (and bills) a task. */
  readonly maybeCreated: boolean;

  constructor(init: JimengErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.details = init.details;
    this.jimengCode = init.jimengCode;
    this.gatewayCode = init.gatewayCode;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.audience = init.audience;
    this.maybeCreated = init.maybeCreated ?? false;
  }

  /** A copy with some fields changed (e.g. maybeCreated on a submit). */
  with(changes: Partial<JimengErrorInit>): JimengError {
    return new JimengError({
      code: this.code,
      message: this.message,
      audience: this.audience,
      retryable: this.retryable,
      details: this.details,
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
      audience: this.audience,
      retryable: this.retryable,
      details: this.details,
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
export function validationError(
  code: JimengErrorCode,
  message: string,
  details: JimengErrorDetails,
): JimengError {
  return new JimengError({ code, message, details, audience: 'user', retryable: false });
}
