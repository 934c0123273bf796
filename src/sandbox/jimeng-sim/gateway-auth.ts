/**
 * The gateway's signature check (Volcengine HMAC-SHA256, V4 style; docs 6444/1390583), written here on
 * node:crypto rather than reusing the client's signer, so the simulator stays an independent check of it.
 * Answers the AK that signed, or the gateway error the real service gives (`ResponseMetadata.Error`).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type GatewayError, gatewayError } from './gateway-error.js';

export const REGION = 'cn-north-1';
export const SERVICE = 'cv';

const AUTH_RE =
  /^HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/request,\s*SignedHeaders=([a-z0-9\-;]+),\s*Signature=([0-9a-f]{64})$/;
const REQUIRED_SIGNED = ['host', 'x-date', 'x-content-sha256'];

export interface AuthInput {
  req: IncomingMessage;
  /** The decoded query parameters. */
  query: Record<string, string>;
  path: string;
  body: Buffer;
  /** The secret of an AK, or undefined for an unknown AK. */
  secretOf(accessKeyId: string): string | undefined;
  maxSkewMs: number;
  now?: number;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding (unreserved A-Za-z0-9-_.~ only; space → %20). */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function parseXDate(v: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? null : d;
}

const mismatch = () =>
  gatewayError(
    401,
    'SignatureDoesNotMatch',
    100010,
    'The request signature we calculated does not match the signature you provided.',
  );

/** Checks the Authorization header of one call; returns the AK that signed it or the gateway error. */
export function authenticate(input: AuthInput): string | GatewayError {
  const { req } = input;
  const auth = req.headers.authorization;
  if (!auth)
    return gatewayError(
      401,
      'MissingAuthenticationToken',
      100003,
      'Request is missing Authentication Token.',
    );
  const m = AUTH_RE.exec(auth.trim());
  if (!m) {
    return gatewayError(
      401,
      'InvalidAuthorization',
      100024,
      "Invalid 'Authorization' header, Pls check your authorization header.",
    );
  }
  const [, ak, scopeDate, region, service, signedList, signature] = m as unknown as string[];
  const secret = input.secretOf(ak!);
  if (secret === undefined) {
    return gatewayError(
      401,
      'InvalidAccessKey',
      100009,
      `The accesskey [${ak}] included in the request is invalid.`,
    );
  }
  const xDate = req.headers['x-date'];
  const date = typeof xDate === 'string' ? parseXDate(xDate) : null;
  if (!date || Math.abs((input.now ?? Date.now()) - date.getTime()) > input.maxSkewMs) {
    return gatewayError(401, 'InvalidTimestamp', 100006, 'The signature of the request is expired.');
  }
  const names = signedList!.split(';');
  const bodyHash = sha256Hex(input.body);
  if (
    scopeDate !== xDate!.slice(0, 8) ||
    region !== REGION ||
    service !== SERVICE ||
    !REQUIRED_SIGNED.every((n) => names.includes(n)) ||
    req.headers['x-content-sha256'] !== bodyHash ||
    [...names].sort().join(';') !== signedList
  ) {
    return mismatch();
  }
  const headerLines: string[] = [];
  for (const name of names) {
    const v = req.headers[name];
    if (typeof v !== 'string') return mismatch();
    headerLines.push(`${name}:${v.trim()}\n`);
  }
  const query = Object.keys(input.query)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(input.query[k]!)}`)
    .join('&');
  const canonical = [
    req.method ?? 'POST',
    input.path,
    query,
    headerLines.join(''),
    signedList,
    bodyHash,
  ].join('\n');
  const scope = `${scopeDate}/${REGION}/${SERVICE}/request`;
  const toSign = ['HMAC-SHA256', xDate, scope, sha256Hex(canonical)].join('\n');
  const kDate = hmac(secret, scopeDate!);
  const kSigning = hmac(hmac(hmac(kDate, REGION), SERVICE), 'request');
  const expected = hmac(kSigning, toSign);
  const got = Buffer.from(signature!, 'hex');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return mismatch();
  return ak!;
}
