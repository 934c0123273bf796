/**
 * Reads the outer shape of a Jimeng answer, whatever the HTTP status (business errors come with 400 and
 * sometimes 200). Tolerates the documented shape ({code, data, message, request_id}) and the original spec's
 * (ResponseMetadata + Result). A gateway error whose `ResponseMetadata.Error.Code` is all digits ("50215") is
 * a business code in the gateway's envelope: it is returned as `code`, to be read with the service table.
 */
import { JimengError } from './errors.js';
import { fromGatewayError } from './gateway-error.js';

export type Json = Record<string, unknown>;

export const SUCCESS_CODE = 10000;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
export const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

export function badResponse(message: string, httpStatus: number, requestId?: string): JimengError {
  return new JimengError({
    code: 'BAD_RESPONSE',
    message,
    audience: httpStatus >= 500 ? 'transient' : 'operator',
    retryable: httpStatus >= 500,
    httpStatus,
    requestId,
    details: { httpStatus },
  });
}

export interface Envelope {
  /** The business code (numeric gateway codes included); undefined when the answer has none. */
  code?: number;
  message?: string;
  data?: Json;
  requestId?: string;
}

/** Parses the text, throws on (non-numeric) gateway errors and garbage, unwraps `Result`. */
export function readEnvelope(httpStatus: number, text: string, headerRequestId?: string): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badResponse(
      `HTTP ${httpStatus}: body is not JSON (${text.slice(0, 120)})`,
      httpStatus,
      headerRequestId,
    );
  }
  if (!isObject(json))
    throw badResponse(`HTTP ${httpStatus}: body is not an object`, httpStatus, headerRequestId);
  const meta = isObject(json.ResponseMetadata) ? json.ResponseMetadata : undefined;
  const requestId = str(json.request_id) ?? str(meta?.RequestId) ?? headerRequestId;
  if (meta && isObject(meta.Error) && (str(meta.Error.Code) || num(meta.Error.CodeN))) {
    const e = meta.Error;
    const code = str(e.Code);
    if (code && /^\d+$/.test(code)) return { code: Number(code), message: str(e.Message), requestId };
    throw fromGatewayError(
      { Code: code, CodeN: num(e.CodeN), Message: str(e.Message) },
      { httpStatus, requestId },
    );
  }
  // The original spec wrapped the business answer in `Result`.
  const inner = isObject(json.Result) && !('code' in json) ? json.Result : json;
  const code = num(inner.code) ?? num(inner.status_code);
  const data = isObject(inner.data) ? inner.data : undefined;
  return { code, message: str(inner.message), data, requestId: str(inner.request_id) ?? requestId };
}
