import { createHash } from 'node:crypto';
import { Signer } from '@volcengine/openapi';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JimengClient, type JimengClientOptions } from '../../src/jimeng/client.js';
import { isJimengError, type JimengError } from '../../src/jimeng/errors.js';
import { RateBudget } from '../../src/jimeng/rate-budget.js';
import { gif, jpeg, png } from './images.js';

const HOST = 'https://visual.volcengineapi.com';
const AK = 'AKLTtestaccesskey';
const SK = 'c2VjcmV0LXRlc3Qta2V5LWRvLW5vdC1sZWFr==';
const SUBMIT = { Action: 'CVSync2AsyncSubmitTask', Version: '2022-08-31' };
const RESULT = { Action: 'CVSync2AsyncGetResult', Version: '2022-08-31' };

const instant = async () => {};

function client(extra: Partial<JimengClientOptions> = {}) {
  return new JimengClient({
    accessKeyId: AK,
    secretAccessKey: SK,
    sleep: instant,
    retryBaseMs: 1,
    ...extra,
  });
}

interface Seen {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  raw: string;
}

/** Intercepts one call to `action`, recording what was sent. */
function expectCall(query: Record<string, string>, status: number, answer: unknown, seen?: Seen[]) {
  return nock(HOST)
    .post('/')
    .query(query)
    .reply(function (_uri, body) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      seen?.push({ headers: { ...this.req.headers }, body: JSON.parse(raw), raw });
      return [status, typeof answer === 'string' ? answer : JSON.stringify(answer)];
    });
}

const ok = (data: object) => ({ code: 10000, data, message: 'Success', request_id: 'req-1', status: 10000 });
const biz = (code: number, message = 'x') => ({ code, data: null, message, request_id: 'req-e' });

async function caught(p: Promise<unknown>): Promise<JimengError> {
  try {
    await p;
  } catch (err) {
    if (isJimengError(err)) return err;
    throw err;
  }
  throw new Error('expected a JimengError');
}

/** Checks the Authorization header with the official SDK's Signer (independent oracle). */
function oracleAuthorization(seen: Seen, query: Record<string, string>): string {
  const xDate = String(seen.headers['x-date']);
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(xDate)!;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  const req = {
    region: 'cn-north-1',
    method: 'POST',
    pathname: '/',
    params: { ...query },
    headers: { Host: 'visual.volcengineapi.com' } as Record<string, string>,
    body: seen.raw,
  };
  const signer = new Signer(req, 'cv');
  signer.addAuthorization({ accessKeyId: AK, secretKey: SK }, date);
  return req.headers.Authorization!;
}

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('submit', () => {
  it('sends a signed text-to-video request with the right body', async () => {
    const seen: Seen[] = [];
    expectCall(SUBMIT, 200, ok({ task_id: '7392616336519610409' }), seen);
    const r = await client().submit({
      model: '1080p',
      prompt: '橘猫打哈欠 🐱',
      duration: 10,
      ratio: '9:16',
      seed: 7,
    });
    expect(r).toEqual({
      taskId: '7392616336519610409',
      reqKey: 'jimeng_t2v_v30_1080p',
      requestId: 'req-1',
      warnings: [],
    });
    const s = seen[0]!;
    expect(s.body).toEqual({
      req_key: 'jimeng_t2v_v30_1080p',
      prompt: '橘猫打哈欠 🐱',
      seed: 7,
      frames: 241,
      aspect_ratio: '9:16',
    });
    expect(s.headers['content-type']).toBe('application/json');
    expect(s.headers['x-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(s.headers['x-content-sha256']).toBe(createHash('sha256').update(s.raw).digest('hex'));
    expect(s.headers.authorization).toMatch(
      /^HMAC-SHA256 Credential=AKLTtestaccesskey\/\d{8}\/cn-north-1\/cv\/request, SignedHeaders=host;x-content-sha256;x-date, Signature=[0-9a-f]{64}$/,
    );
    expect(s.headers.authorization).toBe(oracleAuthorization(s, SUBMIT));
  });

  it('sends image bytes as binary_data_base64 (5 s → 121 frames, no aspect_ratio)', async () => {
    const seen: Seen[] = [];
    expectCall(SUBMIT, 200, ok({ task_id: 't-i2v' }), seen);
    const bytes = jpeg(1024, 768);
    const r = await client().submit({ model: '720p', prompt: '让它动起来', image: { bytes } });
    expect(r.reqKey).toBe('jimeng_i2v_first_v30');
    expect(seen[0]!.body).toEqual({
      req_key: 'jimeng_i2v_first_v30',
      prompt: '让它动起来',
      seed: -1,
      frames: 121,
      binary_data_base64: [bytes.toString('base64')],
    });
    expect(
      Buffer.from(String((seen[0]!.body.binary_data_base64 as string[])[0]), 'base64').equals(bytes),
    ).toBe(true);
  });

  it('sends an image URL as image_urls', async () => {
    const seen: Seen[] = [];
    expectCall(SUBMIT, 200, ok({ task_id: 't-url' }), seen);
    await client().submit({
      model: 'pro',
      prompt: 'x',
      ratio: '4:3',
      image: { url: 'https://img.example/a.jpg' },
    });
    expect(seen[0]!.body).toEqual({
      req_key: 'jimeng_ti2v_v30_pro',
      prompt: 'x',
      seed: -1,
      frames: 121,
      image_urls: ['https://img.example/a.jpg'],
    });
  });

  it.each([
    ['PROMPT_TOO_LONG', { model: '720p', prompt: 'a'.repeat(801) }],
    ['BAD_DURATION', { model: '720p', prompt: 'x', duration: 7 }],
    ['BAD_RATIO', { model: '720p', prompt: 'x', ratio: '5:4' }],
    ['IMAGE_FORMAT', { model: '720p', prompt: 'x', image: { bytes: gif() } }],
    ['IMAGE_DIMENSIONS', { model: '720p', prompt: 'x', image: { bytes: png(200, 200) } }],
    ['IMAGE_REQUIRED', { model: 'jimeng_i2v_first_v30', prompt: 'x' }],
  ])('makes no network call on %s', async (code, req) => {
    const scope = nock(HOST)
      .post('/')
      .query(true)
      .reply(200, ok({ task_id: 'never' }));
    let fetched = 0;
    const c = client({
      fetch: (input, init) => {
        fetched++;
        return fetch(input, init);
      },
    });
    const e = await caught(c.submit(req as never));
    expect(e.code).toBe(code);
    expect(e.audience).toBe('user');
    expect(fetched).toBe(0);
    expect(scope.isDone()).toBe(false);
    expect(c.budget.stats().callsMade).toBe(0);
  });

  it('retries 50429 and 50430 answers (no task was created) and then succeeds', async () => {
    const seen: Seen[] = [];
    expectCall(SUBMIT, 429, biz(50429, 'Request Has Reached API Limit'), seen);
    expectCall(SUBMIT, 429, biz(50430, 'Concurrent Limit'), seen);
    expectCall(SUBMIT, 200, ok({ task_id: 't-after-retry' }), seen);
    const r = await client().submit({ model: '720p', prompt: 'x' });
    expect(r.taskId).toBe('t-after-retry');
    expect(seen).toHaveLength(3);
    // Each attempt is signed afresh over the same body.
    expect(new Set(seen.map((s) => s.raw)).size).toBe(1);
  });

  it('gives up on 50429 after the configured retries, without maybeCreated', async () => {
    for (let i = 0; i < 3; i++) expectCall(SUBMIT, 429, biz(50429));
    const e = await caught(client({ retries: 2 }).submit({ model: '720p', prompt: 'x' }));
    expect(e).toMatchObject({ code: 'QPS_LIMIT', maybeCreated: false, retryable: true });
    expect(nock.pendingMocks()).toHaveLength(0);
  });

  it('retries a connection refused before sending (ECONNREFUSED / DNS)', async () => {
    nock(HOST)
      .post('/')
      .query(SUBMIT)
      .replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    nock(HOST)
      .post('/')
      .query(SUBMIT)
      .replyWithError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' });
    expectCall(SUBMIT, 200, ok({ task_id: 't-net' }));
    expect((await client().submit({ model: '720p', prompt: 'x' })).taskId).toBe('t-net');
  });

  it.each([
    ['HTTP 502 garbage', () => expectCall(SUBMIT, 502, '<html>bad gateway</html>'), 'BAD_RESPONSE'],
    [
      'connection reset',
      () =>
        nock(HOST).post('/').query(SUBMIT).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' }),
      'NETWORK',
    ],
  ])('does not retry a submit after %s: maybeCreated', async (_name, setup, code) => {
    setup();
    const second = expectCall(SUBMIT, 200, ok({ task_id: 'duplicate' }));
    const e = await caught(client().submit({ model: '720p', prompt: 'x' }));
    expect(e).toMatchObject({ code, maybeCreated: true, retryable: false });
    expect(second.isDone()).toBe(false);
  });

  it('does not retry a submit that timed out after sending: maybeCreated', async () => {
    nock(HOST)
      .post('/')
      .query(SUBMIT)
      .delay(3000)
      .reply(200, ok({ task_id: 'late' }));
    const second = expectCall(SUBMIT, 200, ok({ task_id: 'duplicate' }));
    const e = await caught(client({ timeoutMs: 50 }).submit({ model: '720p', prompt: 'x' }));
    expect(e).toMatchObject({ code: 'TIMEOUT', maybeCreated: true });
    expect(second.isDone()).toBe(false);
  });

  it('maps content risk and gateway errors, never retries them, never leaks the SK', async () => {
    const seen: Seen[] = [];
    expectCall(SUBMIT, 400, biz(50413, 'Post Text Risk Not Pass'), seen);
    const risk = await caught(client().submit({ model: '720p', prompt: 'x' }));
    expect(risk).toMatchObject({
      code: 'CONTENT_RISK_INPUT_TEXT',
      audience: 'user',
      retryable: false,
      requestId: 'req-e',
    });
    expect(seen).toHaveLength(1);

    expectCall(SUBMIT, 401, {
      ResponseMetadata: {
        RequestId: 'gw-1',
        Error: { CodeN: 100010, Code: 'SignatureDoesNotMatch', Message: 'signature mismatch' },
      },
    });
    const auth = await caught(client().submit({ model: '720p', prompt: 'x' }));
    expect(auth).toMatchObject({
      code: 'SIGNATURE',
      audience: 'operator',
      httpStatus: 401,
      requestId: 'gw-1',
    });
    expect(nock.pendingMocks()).toHaveLength(0);
    for (const e of [risk, auth]) {
      expect(JSON.stringify(e)).not.toContain(SK);
      expect(`${e.message} ${e.stack}`).not.toContain(SK);
    }
  });
});

describe('submit: camera motion and custom prices', () => {
  it('sends template_id and camera_strength for jimeng_i2v_recamera_v30', async () => {
    const seen: Seen[] = [];
    expectCall(SUBMIT, 200, ok({ task_id: 't-cam' }), seen);
    const r = await client().submit({
      model: '720p',
      prompt: '环绕主体',
      image: { url: 'https://img.example/still.png' },
      camera: { template: 'dynamic_orbit', strength: 'weak' },
    });
    expect(r.reqKey).toBe('jimeng_i2v_recamera_v30');
    expect(seen[0]!.body).toEqual({
      req_key: 'jimeng_i2v_recamera_v30',
      prompt: '环绕主体',
      seed: -1,
      frames: 121,
      image_urls: ['https://img.example/still.png'],
      template_id: 'dynamic_orbit',
      camera_strength: 'weak',
    });
  });

  it('a client built with a price table lists and validates with those prices', () => {
    const c = client({ prices: { jimeng_t2v_v30_1080p: 0.63 } });
    expect(c.catalog.priceOf('jimeng_t2v_v30_1080p', 10)).toBe(6.3);
    expect(c.listModels().find((m) => m.reqKey === 'jimeng_t2v_v30_1080p')?.pricePerSecond).toBe(0.63);
    expect(c.validate({ model: '1080p', prompt: 'x' }).model.pricePerSecond).toBe(0.63);
  });
});

describe('getResult', () => {
  it('sends {req_key, task_id} and reads a finished task', async () => {
    const seen: Seen[] = [];
    expectCall(
      RESULT,
      200,
      ok({ status: 'done', video_url: 'https://cdn.example/v.mp4', aigc_meta_tagged: true }),
      seen,
    );
    const r = await client().getResult('7392616336519610409', 'jimeng_i2v_first_v30_1080');
    expect(seen[0]!.body).toEqual({ req_key: 'jimeng_i2v_first_v30_1080', task_id: '7392616336519610409' });
    expect(r).toMatchObject({ status: 'done', videoUrl: 'https://cdn.example/v.mp4', requestId: 'req-1' });
  });

  it('retries every transient failure (it is idempotent)', async () => {
    const seen: Seen[] = [];
    expectCall(RESULT, 500, biz(50500), seen);
    nock(HOST).post('/').query(RESULT).replyWithError({ code: 'ECONNRESET', message: 'reset' });
    expectCall(RESULT, 429, biz(50429), seen);
    expectCall(RESULT, 502, 'bad gateway', seen);
    expectCall(RESULT, 200, ok({ status: 'generating' }), seen);
    const r = await client({ retries: 5 }).getResult('t1', 'jimeng_t2v_v30');
    expect(r.status).toBe('generating');
    expect(seen).toHaveLength(4);
  });

  it('refuses an unknown req_key without a network call', async () => {
    const e = await caught(client().getResult('t1', 'jimeng_made_up'));
    expect(e.code).toBe('BAD_MODEL');
  });

  it('reports a failed task (done + non-10000 code) without throwing', async () => {
    expectCall(RESULT, 200, { code: 50511, data: { status: 'done' }, message: 'Post Img Risk Not Pass' });
    const r = await client().getResult('t1', 'jimeng_t2v_v30');
    expect(r).toMatchObject({ status: 'failed', error: { code: 'CONTENT_RISK_OUTPUT', jimengCode: 50511 } });
  });
});

describe('wait', () => {
  function recordingSleep() {
    const sleeps: number[] = [];
    return {
      sleeps,
      sleep: async (ms: number, signal?: AbortSignal) => {
        sleeps.push(ms);
        if (signal?.aborted) throw signal.reason;
      },
    };
  }
  const fastBudget = () => new RateBudget({ qps: 1e6, sleep: instant });

  it('polls slow then faster, reports progress, returns the video', async () => {
    for (const status of ['in_queue', 'in_queue', 'generating', 'generating', 'generating', 'generating']) {
      expectCall(RESULT, 200, ok({ status }));
    }
    expectCall(RESULT, 200, ok({ status: 'done', video_url: 'https://cdn.example/cat.mp4' }));
    const { sleeps, sleep } = recordingSleep();
    const progress: string[] = [];
    const r = await client({ sleep, budget: fastBudget() }).wait('t1', 'jimeng_t2v_v30', {
      onProgress: (p) => progress.push(`${p.polls}:${p.status}`),
    });
    expect(r).toMatchObject({ status: 'done', videoUrl: 'https://cdn.example/cat.mp4', polls: 7 });
    expect(progress).toEqual([
      '1:in_queue',
      '2:in_queue',
      '3:generating',
      '4:generating',
      '5:generating',
      '6:generating',
      '7:done',
    ]);
    expect(sleeps[0]).toBe(10_000);
    expect(sleeps.slice(1)).toEqual([8000, 6000, 4500, 3375, 3000, 3000]);
  });

  it('keeps polling through transient poll failures', async () => {
    expectCall(RESULT, 429, biz(50429));
    expectCall(RESULT, 200, ok({ status: 'done', video_url: 'https://cdn.example/v.mp4' }));
    const progress: (string | undefined)[] = [];
    const r = await client({ retries: 0, budget: fastBudget() }).wait('t1', 'jimeng_t2v_v30', {
      onProgress: (p) => progress.push(p.pollError?.code),
    });
    expect(r.status).toBe('done');
    expect(progress).toEqual(['QPS_LIMIT', undefined]);
  });

  it('returns terminal failures (failed, not_found, expired) as results', async () => {
    expectCall(RESULT, 200, ok({ status: 'expired' }));
    const r = await client({ budget: fastBudget() }).wait('t1', 'jimeng_t2v_v30');
    expect(r).toMatchObject({ status: 'expired', error: { code: 'TASK_EXPIRED' } });
  });

  it('throws auth errors at once', async () => {
    expectCall(RESULT, 401, {
      ResponseMetadata: { Error: { Code: 'InvalidAccessKey', CodeN: 100009, Message: 'x' } },
    });
    const e = await caught(client({ budget: fastBudget() }).wait('t1', 'jimeng_t2v_v30'));
    expect(e.code).toBe('AUTH');
  });

  it('stops with TIMEOUT after the overall limit (virtual clock)', async () => {
    let t = 1_700_000_000_000;
    const c = client({
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      budget: fastBudget(),
    });
    for (let i = 0; i < 20; i++) expectCall(RESULT, 200, ok({ status: 'generating' }));
    const e = await caught(c.wait('t1', 'jimeng_t2v_v30', { timeoutMs: 30_000 }));
    expect(e).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('stops with ABORTED when the signal fires', async () => {
    const ac = new AbortController();
    expectCall(RESULT, 200, ok({ status: 'in_queue' }));
    const c = client({ sleep: undefined, budget: fastBudget(), poll: { firstMs: 5, intervalMs: 60_000 } });
    const p = c.wait('t1', 'jimeng_t2v_v30', {
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
    const e = await caught(p);
    expect(e.code).toBe('ABORTED');
  });
});

describe('generate', () => {
  it('holds a task slot while submitting and waiting', async () => {
    expectCall(SUBMIT, 200, ok({ task_id: 'g1' }));
    expectCall(RESULT, 200, ok({ status: 'done', video_url: 'https://cdn.example/g1.mp4' }));
    const c = client({ maxConcurrent: 1 });
    let inFlight = -1;
    const r = await c.generate(
      { model: '720p', prompt: 'x' },
      { onSubmitted: () => (inFlight = c.budget.tasksInFlight), poll: { firstMs: 1 } },
    );
    expect(inFlight).toBe(1);
    expect(c.budget.tasksInFlight).toBe(0);
    expect(r).toMatchObject({ taskId: 'g1', reqKey: 'jimeng_t2v_v30', result: { status: 'done' } });
  });
});

describe('testConnection', () => {
  it('401 from the gateway → bad_credentials', async () => {
    expectCall(RESULT, 401, {
      ResponseMetadata: {
        RequestId: 'x',
        Error: { CodeN: 100010, Code: 'SignatureDoesNotMatch', Message: 'x' },
      },
    });
    const v = await client().testConnection();
    expect(v).toMatchObject({ ok: false, verdict: 'bad_credentials' });
    expect(v.error).toMatchObject({ code: 'SIGNATURE', gatewayCode: 'SignatureDoesNotMatch' });
    expect(JSON.stringify({ ...v, error: v.error?.toJSON() })).not.toContain(SK);
  });

  it('a business answer (not_found or 50215) → ok', async () => {
    const seen: Seen[] = [];
    expectCall(RESULT, 200, ok({ status: 'not_found' }), seen);
    expect(await client().testConnection()).toMatchObject({ ok: true, verdict: 'ok' });
    expect(seen[0]!.body).toMatchObject({ req_key: 'jimeng_t2v_v30' });
    expectCall(RESULT, 400, biz(50215, 'Input invalid for this service.'));
    expect(await client().testConnection()).toMatchObject({ ok: true, verdict: 'ok' });
  });

  it('50400 → access_denied; connection refused → unreachable', async () => {
    expectCall(RESULT, 403, biz(50400, 'Access Denied'));
    expect(await client().testConnection()).toMatchObject({ ok: false, verdict: 'access_denied' });
    nock(HOST).post('/').query(RESULT).replyWithError({ code: 'ECONNREFUSED', message: 'refused' });
    expect(await client().testConnection()).toMatchObject({ ok: false, verdict: 'unreachable' });
  });
});

describe('download and listModels', () => {
  it('downloads bytes; a 403 (expired link) is a DOWNLOAD_FAILED', async () => {
    nock('https://cdn.example').get('/v.mp4').reply(200, Buffer.from('....ftypisom'));
    expect(Buffer.from(await client().download('https://cdn.example/v.mp4')).toString()).toBe('....ftypisom');
    nock('https://cdn.example').get('/old.mp4').reply(403, 'expired');
    expect((await caught(client().download('https://cdn.example/old.mp4'))).code).toBe('DOWNLOAD_FAILED');
  });

  it('lists models as copies', () => {
    const models = client().listModels();
    expect(models.length).toBe(8);
    models[0]!.ratios.length = 0;
    expect(client().listModels()[0]!.ratios.length).toBe(6);
  });
});
