/** The gateway's `ResponseMetadata.Error` (auth, signature, throttling) mapped to JimengErrors. */

import { JimengError } from './errors.js';
import { type ErrorContext, INTERNAL, SERVICE_CODES } from './service-codes.js';

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
      audience: 'operator',
      retryable: false,
    });
  }
  if (/AccessDenied|Forbidden|NotOpen|NotEnabled/i.test(gatewayCode) || status === 403) {
    return new JimengError({
      ...base,
      code: 'ACCESS_DENIED',
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
    audience: 'operator',
    retryable: false,
  });
}
