/** The service's business codes (the reference doc's table) mapped to JimengErrors. */
import { JimengError, type JimengErrorInit } from './errors.js';

export type Mapping = Pick<JimengErrorInit, 'code' | 'audience' | 'retryable'>;

const RISK_TEXT: Mapping = { code: 'CONTENT_RISK_INPUT_TEXT', audience: 'user', retryable: false };
const RISK_IMAGE: Mapping = { code: 'CONTENT_RISK_INPUT_IMAGE', audience: 'user', retryable: false };
/** The docs say a retry may pass. */
const RISK_OUTPUT: Mapping = { code: 'CONTENT_RISK_OUTPUT', audience: 'user', retryable: true };
const RISK_SERVICE: Mapping = { code: 'RISK_SERVICE_ERROR', audience: 'transient', retryable: false };
export const INTERNAL: Mapping = { code: 'INTERNAL', audience: 'transient', retryable: true };

/** Business codes from the reference doc's table. */
export const SERVICE_CODES: Readonly<Record<number, Mapping>> = {
  50411: RISK_IMAGE,
  50412: RISK_TEXT,
  50413: RISK_TEXT,
  50512: { code: 'CONTENT_RISK_OUTPUT_TEXT', audience: 'user', retryable: false },
  50511: RISK_OUTPUT,
  50516: RISK_OUTPUT,
  50517: RISK_OUTPUT,
  50519: RISK_OUTPUT,
  50518: RISK_IMAGE,
  50520: RISK_SERVICE,
  50521: RISK_SERVICE,
  50522: RISK_SERVICE,
  50215: { code: 'INVALID_INPUT', audience: 'user', retryable: false },
  50400: { code: 'ACCESS_DENIED', audience: 'operator', retryable: false },
  50429: { code: 'QPS_LIMIT', audience: 'transient', retryable: true },
  50430: { code: 'CONCURRENCY_LIMIT', audience: 'transient', retryable: true },
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
  const mapping: Mapping = SERVICE_CODES[code] ?? {
    code: 'UNKNOWN',
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
