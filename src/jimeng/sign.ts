import { createHash, createHmac } from 'node:crypto';

/** What a Volcengine V4-style HMAC-SHA256 signature covers. */
export interface SignInput {
  method: string;
  host: string;
  path?: string;
  query: Record<string, string | number | undefined>;
  body: string | Uint8Array;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  service?: string;
  date?: Date;
  /** Extra headers to sign (e.g. content-type); names are case-insensitive. */
  headers?: Record<string, string>;
}

export interface SignedHeaders {
  Authorization: string;
  'X-Date': string;
  'X-Content-Sha256': string;
  Host: string;
  [name: string]: string;
}

// RFC 3986: everything but A-Za-z0-9-_.~ is percent-encoded (encodeURIComponent leaves !'()* alone).
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function canonicalQuery(query: SignInput['query']): string {
  return Object.keys(query)
    .filter((k) => query[k] !== undefined)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(String(query[k]))}`)
    .join('&');
}

export function xDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Signs one request the way Volcengine's gateway checks it. Written on node:crypto rather than
 * `@volcengine/openapi`'s Signer because that SDK pulls in crypto-js and axios for ~40 lines of work,
 * and is several times slower; it is kept as the test oracle (test/jimeng/sign.test.ts).
 */
export function sign(input: SignInput): SignedHeaders {
  const region = input.region ?? 'cn-north-1';
  const service = input.service ?? 'cv';
  const now = xDate(input.date ?? new Date());
  const shortDate = now.slice(0, 8);
  const bodyHash = sha256Hex(input.body);
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(input.headers ?? {}))
    headers.set(name.toLowerCase(), value.trim());
  headers.set('host', input.host);
  headers.set('x-content-sha256', bodyHash);
  headers.set('x-date', now);
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${headers.get(n)}\n`).join('');
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.path ?? '/',
    canonicalQuery(input.query),
    canonicalHeaders,
    signedHeaders,
    bodyHash,
  ].join('\n');
  const scope = `${shortDate}/${region}/${service}/request`;
  const stringToSign = ['HMAC-SHA256', now, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(input.secretAccessKey, shortDate);
  const kSigning = hmac(hmac(hmac(kDate, region), service), 'request');
  const signature = createHmac('sha256', kSigning).update(stringToSign).digest('hex');
  const out: SignedHeaders = {
    Authorization: `HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    'X-Date': now,
    'X-Content-Sha256': bodyHash,
    Host: input.host,
  };
  for (const [name, value] of Object.entries(input.headers ?? {})) out[name] = value;
  return out;
}
