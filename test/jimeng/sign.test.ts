import { createHash, createHmac } from 'node:crypto';
import { Signer } from '@volcengine/openapi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalQuery, rfc3986, sign } from '../../src/jimeng/sign.js';

const HOST = 'visual.volcengineapi.com';
const VECTOR = {
  ak: 'AKTESTEXAMPLE',
  sk: 'SKTESTEXAMPLE==',
  date: new Date('2025-01-02T03:04:05Z'),
  query: { Action: 'CVSync2AsyncSubmitTask', Version: '2022-08-31' },
  body: '{"req_key":"jimeng_t2v_v30","prompt":"千军万马","seed":-1,"frames":121,"aspect_ratio":"16:9"}',
};

const signatureOf = (authorization: string) => /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1];

interface OracleInput {
  method: string;
  query: Record<string, string>;
  body: string;
  ak: string;
  sk: string;
  date: Date;
  region: string;
  contentType?: string;
}

/** The official SDK Signer; it never signs content-type. */
function oracle(i: OracleInput): string {
  const req = {
    region: i.region,
    method: i.method,
    pathname: '/',
    params: { ...i.query },
    headers: { Host: HOST } as Record<string, string>,
    body: i.body,
  };
  new Signer(req, 'cv').addAuthorization({ accessKeyId: i.ak, secretKey: i.sk }, i.date);
  return req.headers.Authorization!;
}

/** The official Signer's own canonicalisation, with content-type allowed into the signed set. */
class ContentTypeSigner extends Signer {
  override isSignableHeader(key: string): boolean {
    return !['authorization', 'content-length', 'user-agent', 'presigned-expires', 'expect'].includes(key);
  }
}

function oracleWithContentType(i: OracleInput & { contentType: string }): string {
  const req = {
    region: i.region,
    method: i.method,
    pathname: '/',
    params: { ...i.query },
    headers: { Host: HOST, 'Content-Type': i.contentType } as Record<string, string>,
    body: i.body,
  };
  new ContentTypeSigner(req, 'cv').addAuthorization({ accessKeyId: i.ak, secretKey: i.sk }, i.date);
  return req.headers.Authorization!;
}

/** A from-the-doc reimplementation (no shared code with sign.ts or the SDK). */
function fromDoc(i: OracleInput & { contentType: string }): string {
  const xdate = i.date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  const day = xdate.slice(0, 8);
  const bodyHash = createHash('sha256').update(Buffer.from(i.body, 'utf8')).digest('hex');
  const enc = (s: string) =>
    Array.from(Buffer.from(s, 'utf8'))
      .map((b) => {
        const c = String.fromCharCode(b);
        return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
      })
      .join('');
  const query = Object.keys(i.query)
    .sort()
    .map((k) => `${enc(k)}=${enc(i.query[k]!)}`)
    .join('&');
  const headers: [string, string][] = [
    ['content-type', i.contentType.trim()],
    ['host', HOST],
    ['x-content-sha256', bodyHash],
    ['x-date', xdate],
  ];
  const canonical = [
    i.method,
    '/',
    query,
    headers.map(([k, v]) => `${k}:${v}\n`).join(''),
    headers.map(([k]) => k).join(';'),
    bodyHash,
  ].join('\n');
  const scope = `${day}/${i.region}/cv/request`;
  const toSign = ['HMAC-SHA256', xdate, scope, createHash('sha256').update(canonical).digest('hex')].join(
    '\n',
  );
  let key: Buffer | string = i.sk;
  for (const part of [day, i.region, 'cv', 'request']) key = createHmac('sha256', key).update(part).digest();
  const sig = createHmac('sha256', key).update(toSign).digest('hex');
  return `HMAC-SHA256 Credential=${i.ak}/${scope}, SignedHeaders=${headers.map(([k]) => k).join(';')}, Signature=${sig}`;
}

describe('sign: reference doc test vectors', () => {
  const base = {
    method: 'POST',
    host: HOST,
    query: VECTOR.query,
    body: VECTOR.body,
    accessKeyId: VECTOR.ak,
    secretAccessKey: VECTOR.sk,
    date: VECTOR.date,
  };

  it('host;x-content-sha256;x-date', () => {
    const h = sign(base);
    expect(h['X-Content-Sha256']).toBe('86f8dc6c79dab074a37e0690416157fcb6683cd5e27352749ee19be33803d0e8');
    expect(h['X-Date']).toBe('20250102T030405Z');
    expect(h.Authorization).toContain('SignedHeaders=host;x-content-sha256;x-date,');
    expect(h.Authorization).toContain('Credential=AKTESTEXAMPLE/20250102/cn-north-1/cv/request');
    expect(signatureOf(h.Authorization)).toBe(
      '403b2d13def3fb38738023d0c1637b2e7ff1f0211465f47d8f8da619f7299792',
    );
  });

  it('content-type;host;x-content-sha256;x-date', () => {
    const h = sign({ ...base, headers: { 'Content-Type': 'application/json' } });
    expect(h.Authorization).toContain('SignedHeaders=content-type;host;x-content-sha256;x-date,');
    expect(signatureOf(h.Authorization)).toBe(
      'c0d40cc51fd7010537e6ce2607a14f905226859119057ee2f1f7603e0b5fa57b',
    );
  });

  it('the oracles agree with the vectors', () => {
    const i = {
      method: 'POST',
      query: VECTOR.query,
      body: VECTOR.body,
      ak: VECTOR.ak,
      sk: VECTOR.sk,
      date: VECTOR.date,
      region: 'cn-north-1',
    };
    expect(signatureOf(oracle(i))).toBe('403b2d13def3fb38738023d0c1637b2e7ff1f0211465f47d8f8da619f7299792');
    const ct = { ...i, contentType: 'application/json' };
    expect(signatureOf(oracleWithContentType(ct))).toBe(
      'c0d40cc51fd7010537e6ce2607a14f905226859119057ee2f1f7603e0b5fa57b',
    );
    expect(signatureOf(fromDoc(ct))).toBe('c0d40cc51fd7010537e6ce2607a14f905226859119057ee2f1f7603e0b5fa57b');
  });

  it('rfc3986 encodes the characters encodeURIComponent leaves alone', () => {
    expect(rfc3986("a b~*'()!")).toBe('a%20b~%2A%27%28%29%21');
    expect(canonicalQuery({ b: '2', a: '1 1', c: undefined })).toBe('a=1%201&b=2');
  });
});

describe('sign: property test against the official Signer', () => {
  const oddValue = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.constantFrom(
      ' ',
      '~',
      '*',
      "'",
      'a b',
      "!*'();:@&=+$,/?#[]",
      '日本語',
      '😺🐱',
      '%20',
      '+',
      '',
      'A-Z_a.z~0',
    ),
    fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
  );
  const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.~ *'-]{0,8}$/);
  const input = fc.record({
    method: fc.constantFrom('POST', 'GET'),
    extra: fc.dictionary(key, oddValue, { maxKeys: 4 }),
    action: fc.constantFrom('CVSync2AsyncSubmitTask', 'CVSync2AsyncGetResult'),
    prompt: fc.string({ unit: 'grapheme', maxLength: 60 }),
    seed: fc.integer({ min: -1, max: 2 ** 32 - 1 }),
    frames: fc.constantFrom(121, 241),
    ak: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 24 }).filter((s) => !/[\s/,]/.test(s)),
    sk: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 48 }),
    date: fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    region: fc.constantFrom('cn-north-1', 'cn-beijing', 'ap-singapore-1'),
    contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', ' application/json '),
  });

  it('matches for 2000 random requests, both signed-header sets', () => {
    fc.assert(
      fc.property(input, (r) => {
        const query: Record<string, string> = { ...r.extra, Action: r.action, Version: '2022-08-31' };
        const body = JSON.stringify({
          req_key: 'jimeng_t2v_v30',
          prompt: r.prompt,
          seed: r.seed,
          frames: r.frames,
        });
        const common = { method: r.method, query, body, ak: r.ak, sk: r.sk, date: r.date, region: r.region };
        const ours = sign({
          method: r.method,
          host: HOST,
          query,
          body,
          accessKeyId: r.ak,
          secretAccessKey: r.sk,
          date: r.date,
          region: r.region,
        });
        expect(ours.Authorization).toBe(oracle(common));

        const oursCt = sign({
          method: r.method,
          host: HOST,
          query,
          body,
          accessKeyId: r.ak,
          secretAccessKey: r.sk,
          date: r.date,
          region: r.region,
          headers: { 'Content-Type': r.contentType },
        });
        const withCt = { ...common, contentType: r.contentType };
        expect(oursCt.Authorization).toBe(oracleWithContentType(withCt));
        expect(oursCt.Authorization).toBe(fromDoc(withCt));
      }),
      { numRuns: 2000 },
    );
  });
});
