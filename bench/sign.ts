/** Signing: Volcengine HMAC-SHA256 signatures per second, our src/jimeng/sign.ts vs @volcengine/openapi's Signer. */
import { Signer } from '@volcengine/openapi';
import { sign } from '../src/jimeng/sign.js';
import { type BenchResult, median, ratioOf, round } from './lib.js';

const HOST = 'visual.volcengineapi.com';
const QUERY = { Action: 'CVSync2AsyncGetResult', Version: '2022-08-31' };
const BODY = JSON.stringify({ req_key: 'jimeng_t2v_v30', task_id: '7392616336519610409' });
const AK = 'AKLTBENCHEXAMPLE0000';
const SK = 'WkdGa1pXSmxibU5vYldGeWExTkxaWGhoYlhCc1pRPT0=';

/** The Authorization header from our signer (at `date`, or now). */
function ours(date?: Date): string {
  return sign({
    method: 'POST',
    host: HOST,
    query: QUERY,
    body: BODY,
    accessKeyId: AK,
    secretAccessKey: SK,
    date,
  }).Authorization;
}

/** The Authorization header from the official SDK's Signer, for the same request. */
function theirs(date?: Date): string {
  const req = {
    region: 'cn-north-1',
    method: 'POST',
    pathname: '/',
    params: { ...QUERY },
    headers: { Host: HOST } as Record<string, string>,
    body: BODY,
  };
  new Signer(req, 'cv').addAuthorization({ accessKeyId: AK, secretKey: SK }, date);
  return req.headers.Authorization!;
}

/** Operations per second over ~ms milliseconds. */
function opsPerSecond(fn: () => string, ms: number): number {
  let n = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 200; i++) sink += fn().length;
    n += 200;
    now = performance.now();
  }
  if (sink < 0) throw new Error('unreachable');
  return (n * 1000) / (now - start);
}

export async function runSign(): Promise<BenchResult[]> {
  // Both must produce the same signature for the same instant; check once so we compare equal work.
  const date = new Date('2025-01-02T03:04:05Z');
  const sigOf = (s: string) => /Signature=([0-9a-f]{64})/.exec(s)?.[1];
  if (sigOf(ours(date)) !== sigOf(theirs(date))) throw new Error('signers disagree');

  const signNow = { ours: () => ours(), theirs: () => theirs() };
  opsPerSecond(signNow.ours, 300);
  opsPerSecond(signNow.theirs, 300);
  const o: number[] = [];
  const t: number[] = [];
  for (let round = 0; round < 5; round++) {
    o.push(opsPerSecond(signNow.ours, 400));
    t.push(opsPerSecond(signNow.theirs, 400));
  }
  const value = median(o);
  const baseline = median(t);
  return [
    {
      name: 'signing: signatures/s, src/jimeng/sign.ts vs @volcengine/openapi Signer',
      value: round(value, 0),
      unit: 'sig/s',
      baselineName: '@volcengine/openapi',
      baseline: round(baseline, 0),
      ratio: ratioOf(value, baseline),
      better: 'higher',
      target: '≥ 5×',
      pass: value >= 5 * baseline,
      note: 'get-result request, median of 5 alternating 400 ms rounds',
    },
  ];
}
