import { Signer } from '@volcengine/openapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/jimeng/sign.js';
import {
  GET_RESULT_ACTION,
  type JimengSimulator,
  SUBMIT_ACTION,
  startJimengSimulator,
} from '../../src/sandbox/jimeng-simulator.js';
import {
  AK,
  call,
  expectBiz,
  expectGatewayError,
  jpeg,
  png,
  poll,
  pollUntilDone,
  SK,
  submit,
  t2v,
  taskOf,
} from './jimeng-sim-client.js';

let sim: JimengSimulator;

beforeAll(async () => {
  sim = await startJimengSimulator({ accessKeyId: AK, secretAccessKey: SK, generationMs: 200 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.reset();
  sim.setGenerationMs(200);
});

describe('signature', () => {
  it('accepts a correctly signed submit and keeps the task', async () => {
    const a = await submit(sim, t2v({ seed: 42, frames: 241, aspect_ratio: '9:16' }));
    expectBiz(a, 200, 10000);
    expect(a.json.message).toBe('Success');
    const taskId = (a.json.data as { task_id: string }).task_id;
    expect(taskId).toMatch(/^\d{19}$/);
    const task = sim.tasks.get(taskId)!;
    expect(task).toMatchObject({
      reqKey: 'jimeng_t2v_v30',
      prompt: '千军万马',
      frames: 241,
      seed: 42,
      aspectRatio: '9:16',
      accessKeyId: AK,
      images: [],
    });
    expect(sim.calls).toEqual([
      {
        action: SUBMIT_ACTION,
        accessKeyId: AK,
        taskId,
        code: 10000,
        httpStatus: 200,
        at: expect.any(Number),
      },
    ]);
  });

  it("accepts a request signed by the official SDK's Signer (independent oracle)", async () => {
    const query = { Action: SUBMIT_ACTION, Version: '2022-08-31' };
    const body = JSON.stringify(t2v());
    const req = {
      region: 'cn-north-1',
      method: 'POST',
      pathname: '/',
      params: { ...query },
      headers: { Host: new URL(sim.url).host } as Record<string, string>,
      body,
    };
    new Signer(req, 'cv').addAuthorization({ accessKeyId: AK, secretKey: SK }, new Date());
    const { Host: _h, ...headers } = req.headers;
    const res = await fetch(`${sim.url}/?Action=${SUBMIT_ACTION}&Version=2022-08-31`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { code: number }).code).toBe(10000);
  });

  it('accepts content-type among the signed headers', async () => {
    const a = await submit(sim, t2v(), { signHeaders: { 'Content-Type': 'application/json' } });
    expectBiz(a, 200, 10000);
  });

  it('rejects a body changed after signing with the gateway shape', async () => {
    const a = await submit(sim, t2v(), { sendBody: JSON.stringify(t2v({ prompt: '万马千军' })) });
    expectGatewayError(a, 401, 'SignatureDoesNotMatch');
    expect(a.json).toEqual({
      ResponseMetadata: {
        RequestId: expect.any(String),
        Action: SUBMIT_ACTION,
        Version: '2022-08-31',
        Service: 'cv',
        Region: 'cn-north-1',
        Error: {
          CodeN: 100010,
          Code: 'SignatureDoesNotMatch',
          Message: 'The request signature we calculated does not match the signature you provided.',
        },
      },
    });
    expect(sim.tasks.size).toBe(0);
  });

  it('rejects a tampered signature, a wrong secret and a body hash header that lies', async () => {
    const flip = (auth: string) =>
      auth.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`);
    expectGatewayError(await submit(sim, t2v(), { mutateAuth: flip }), 401, 'SignatureDoesNotMatch');
    expectGatewayError(await submit(sim, t2v(), { sk: 'other' }), 401, 'SignatureDoesNotMatch');
    expectGatewayError(
      await submit(sim, t2v(), { headers: { 'X-Content-Sha256': '0'.repeat(64) } }),
      401,
      'SignatureDoesNotMatch',
    );
    const wrongRegion = (auth: string) => auth.replace('/cn-north-1/', '/cn-beijing/');
    expectGatewayError(await submit(sim, t2v(), { mutateAuth: wrongRegion }), 401, 'SignatureDoesNotMatch');
  });

  it('rejects an unknown AK, a missing or malformed Authorization, and clock skew', async () => {
    expectGatewayError(await submit(sim, t2v(), { ak: 'AKNOBODY' }), 401, 'InvalidAccessKey');
    expectGatewayError(await submit(sim, t2v(), { noAuth: true }), 401, 'MissingAuthenticationToken');
    expectGatewayError(
      await submit(sim, t2v(), { mutateAuth: () => 'Bearer x' }),
      401,
      'InvalidAuthorization',
    );
    const old = new Date(Date.now() - 20 * 60_000);
    expectGatewayError(await submit(sim, t2v(), { date: old }), 401, 'InvalidTimestamp');
    const future = new Date(Date.now() + 20 * 60_000);
    expectGatewayError(await submit(sim, t2v(), { date: future }), 401, 'InvalidTimestamp');
    expect(sim.tasks.size).toBe(0);
    expect(sim.stats.authFailures).toBe(5);
  });

  it('answers 404 InvalidActionOrVersion for an unknown action or version', async () => {
    expectGatewayError(await call(sim, 'CVProcess', {}), 404, 'InvalidActionOrVersion');
    expectGatewayError(await submit(sim, t2v(), { version: '2020-01-01' }), 404, 'InvalidActionOrVersion');
  });
});

describe('validation (400, code 50215)', () => {
  const tooLong = 'a'.repeat(801);
  const cases: [string, Record<string, unknown>][] = [
    ['unknown req_key', t2v({ req_key: 'jimeng_t2v_v99' })],
    ['missing req_key', { prompt: 'x' }],
    ['missing prompt', { req_key: 'jimeng_t2v_v30' }],
    ['empty prompt', t2v({ prompt: '' })],
    ['blank prompt', t2v({ prompt: '   ' })],
    ['prompt not a string', t2v({ prompt: 5 })],
    ['prompt over 800 chars', t2v({ prompt: tooLong })],
    ['frames 120', t2v({ frames: 120 })],
    ['frames as string', t2v({ frames: '121' })],
    ['aspect_ratio 2:1', t2v({ aspect_ratio: '2:1' })],
    ['empty aspect_ratio', t2v({ aspect_ratio: '' })],
    ['seed not an integer', t2v({ seed: 1.5 })],
    [
      'both image_urls and binary_data_base64',
      {
        req_key: 'jimeng_i2v_first_v30',
        prompt: 'x',
        image_urls: ['https://e.x/a.png'],
        binary_data_base64: [png()],
      },
    ],
    ['i2v without image', { req_key: 'jimeng_i2v_first_v30', prompt: 'x' }],
    ['i2v 1080 without image', { req_key: 'jimeng_i2v_first_v30_1080', prompt: 'x' }],
    [
      'i2v with two images',
      { req_key: 'jimeng_i2v_first_v30', prompt: 'x', binary_data_base64: [png(), png()] },
    ],
    [
      'first_tail with one image',
      { req_key: 'jimeng_i2v_first_tail_v30', prompt: 'x', binary_data_base64: [png()] },
    ],
    ['t2v with an image', t2v({ binary_data_base64: [png()] })],
    [
      't2v 1080p with an image url',
      t2v({ req_key: 'jimeng_t2v_v30_1080p', image_urls: ['https://e.x/a.png'] }),
    ],
    ['jimeng_t2v_v30_pro (no such req_key)', t2v({ req_key: 'jimeng_t2v_v30_pro' })],
    ['ti2v pro with two images', t2v({ req_key: 'jimeng_ti2v_v30_pro', binary_data_base64: [png(), png()] })],
    [
      'image that is neither PNG nor JPEG',
      {
        req_key: 'jimeng_i2v_first_v30',
        prompt: 'x',
        binary_data_base64: [Buffer.from('GIF89a....').toString('base64')],
      },
    ],
    ['not base64', { req_key: 'jimeng_i2v_first_v30', prompt: 'x', binary_data_base64: ['@@@@'] }],
    [
      'image too small',
      { req_key: 'jimeng_i2v_first_v30', prompt: 'x', binary_data_base64: [png(100, 100)] },
    ],
    [
      'image too wide',
      { req_key: 'jimeng_i2v_first_v30', prompt: 'x', binary_data_base64: [png(2000, 400)] },
    ],
    [
      'image url not http',
      { req_key: 'jimeng_i2v_first_v30', prompt: 'x', image_urls: ['file:///etc/passwd'] },
    ],
  ];

  it.each(cases)('rejects %s', async (_name, body) => {
    const a = await submit(sim, body);
    expectBiz(a, 400, 50215);
    expect(a.json).toMatchObject({ data: null, message: 'Input invalid for this service.' });
    expect(sim.tasks.size).toBe(0);
  });

  it('rejects a body that is not JSON', async () => {
    const url = new URL(sim.url);
    const body = 'not json';
    const h = sign({
      method: 'POST',
      host: url.host,
      query: { Action: SUBMIT_ACTION, Version: '2022-08-31' },
      body,
      accessKeyId: AK,
      secretAccessKey: SK,
    });
    const { Host: _h, ...headers } = h;
    const res = await fetch(`${sim.url}/?Action=${SUBMIT_ACTION}&Version=2022-08-31`, {
      method: 'POST',
      headers,
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: number }).code).toBe(50215);
  });

  it('accepts every documented image combination and decodes the images', async () => {
    const ok: Record<string, unknown>[] = [
      { req_key: 'jimeng_i2v_first_v30', prompt: 'x', binary_data_base64: [png()] },
      { req_key: 'jimeng_i2v_first_v30_1080', prompt: 'x', binary_data_base64: [jpeg()] },
      { req_key: 'jimeng_i2v_first_v30', prompt: 'x', image_urls: ['https://example.com/a.jpg'] },
      { req_key: 'jimeng_i2v_first_tail_v30', prompt: 'x', binary_data_base64: [png(), png()] },
      { req_key: 'jimeng_i2v_first_tail_v30_1080', prompt: 'x', binary_data_base64: [jpeg(), jpeg()] },
      t2v({ req_key: 'jimeng_ti2v_v30_pro' }),
      t2v({ req_key: 'jimeng_ti2v_v30_pro', binary_data_base64: [png(1920, 1080)] }),
      t2v({ req_key: 'jimeng_t2v_v30_1080p', aspect_ratio: '21:9' }),
      t2v({ req_key: 'jimeng_ti2v_v30_pro', prompt: 'a'.repeat(800) }),
      { req_key: 'jimeng_t2v_v30', prompt: '最少字段' },
    ];
    for (const body of ok) expectBiz(await submit(sim, body), 200, 10000);
    const tasks = [...sim.tasks.values()];
    expect(tasks).toHaveLength(ok.length);
    expect(tasks[0]!.images[0]!.equals(Buffer.from(png(), 'base64'))).toBe(true);
    expect(tasks[2]!.imageUrls).toEqual(['https://example.com/a.jpg']);
    expect(tasks[3]!.images).toHaveLength(2);
    expect(tasks[9]).toMatchObject({ frames: 121, requestedSeed: -1 });
    expect(tasks[9]!.aspectRatio).toBeUndefined();
  });
});

describe('task life cycle', () => {
  it('walks in_queue → generating → done and serves a real MP4', async () => {
    const id = ((await submit(sim, t2v({ seed: 7 }))).json.data as { task_id: string }).task_id;
    const answers = await pollUntilDone(sim, id);
    const statuses = answers.map((a) => (a.json.data as { status: string }).status);
    expect(statuses.at(-1)).toBe('done');
    expect(statuses.every((s) => ['in_queue', 'generating', 'done'].includes(s))).toBe(true);
    const last = answers.at(-1)!;
    expectBiz(last, 200, 10000);
    const data = last.json.data as { video_url: string; aigc_meta_tagged: boolean; seed: number };
    expect(data.video_url).toBe(`${sim.url}/videos/${id}.mp4?X-Expires=3600`);
    expect(data.aigc_meta_tagged).toBe(true);
    expect(data.seed).toBe(7);

    const res = await fetch(data.video_url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString('latin1', 4, 8)).toBe('ftyp');
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.length).toBeLessThan(60_000);
    expect(sim.tasks.get(id)!.polls).toBe(answers.length);

    const part = await fetch(data.video_url, { headers: { Range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1', 4, 8)).toBe('ftyp');
  });

  it('starts in the queue and picks a seed when -1 was asked for', async () => {
    sim.setGenerationMs(60_000);
    const id = ((await submit(sim, t2v())).json.data as { task_id: string }).task_id;
    expect((await poll(sim, id)).json.data).toMatchObject({ status: 'in_queue' });
    expect(sim.tasks.get(id)!.seed).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${sim.url}/videos/${id}.mp4`)).status).toBe(404);
    sim.setGenerationMs(0);
    expect((await poll(sim, id)).json.data).toMatchObject({ status: 'done' });
  });

  it('answers not_found for an unknown task and 50215 for a mismatched req_key', async () => {
    const nf = await poll(sim, '7000000000000000000');
    expectBiz(nf, 200, 10000);
    expect(nf.json.data).toMatchObject({ status: 'not_found' });
    const id = ((await submit(sim, t2v())).json.data as { task_id: string }).task_id;
    expectBiz(await poll(sim, id, 'jimeng_t2v_v30_1080p'), 400, 50215);
    expectBiz(await call(sim, GET_RESULT_ACTION, { req_key: 'jimeng_t2v_v30' }), 400, 50215);
  });

  it('answers expired for old tasks and stops serving an old video', async () => {
    sim.setGenerationMs(0);
    const id = ((await submit(sim, t2v())).json.data as { task_id: string }).task_id;
    expect((await poll(sim, id)).json.data).toMatchObject({ status: 'done' });
    const task = sim.tasks.get(id)!;
    task.doneAt = Date.now() - 2 * 3600_000;
    expect((await fetch(`${sim.url}/videos/${id}.mp4`)).status).toBe(403);
    task.createdAt = Date.now() - 13 * 3600_000;
    expect((await poll(sim, id)).json.data).toMatchObject({ status: 'expired' });
  });
});

describe('faults', () => {
  it('qps / concurrency / 500 / risk_text / risk_image answer the documented errors once', async () => {
    sim.inject('qps', 'concurrency', '500', 'risk_text', 'risk_image');
    const q = await submit(sim, t2v());
    expectBiz(q, 429, 50429);
    const c = await submit(sim, t2v());
    expectBiz(c, 429, 50430);
    expectBiz(await submit(sim, t2v()), 500, 50500);
    const rt = await submit(sim, t2v());
    expectBiz(rt, 400, 50412);
    expect(rt.json).toMatchObject({ data: null, message: 'Pre Text Risk Not Pass' });
    expectBiz(await submit(sim, t2v()), 400, 50411);
    expectBiz(await submit(sim, t2v()), 200, 10000);
    expect(sim.faults.next).toEqual([]);
    expect(sim.stats.qpsLimited).toBe(1);
    expect(sim.stats.concurrencyLimited).toBe(1);
  });

  it('submit-only faults wait for a submit; any-action faults hit a poll', async () => {
    sim.setGenerationMs(0);
    const id = taskOf(await submit(sim, t2v()));
    sim.inject('risk_text', '500');
    expectBiz(await poll(sim, id), 500, 50500);
    expectBiz(await poll(sim, id), 200, 10000);
    expectBiz(await submit(sim, t2v()), 400, 50412);
  });

  it('fail and risk_output make the task end with an error code and data: null', async () => {
    sim.setGenerationMs(0);
    sim.inject('fail', 'risk_output');
    const failed = taskOf(await submit(sim, t2v()));
    const risky = taskOf(await submit(sim, t2v()));
    const ok = taskOf(await submit(sim, t2v()));
    const f = await poll(sim, failed);
    expectBiz(f, 200, 50500);
    expect(f.json).toMatchObject({ data: null, message: 'Internal Error' });
    const r = await poll(sim, risky);
    expectBiz(r, 400, 50511);
    expect(r.json).toMatchObject({ data: null, message: 'Post Img Risk Not Pass' });
    expectBiz(await poll(sim, ok), 200, 10000);
    expect(sim.tasks.get(failed)!.fault).toBe('fail');
    expect(sim.tasks.get(risky)!.fault).toBe('risk_output');
    expect((await fetch(`${sim.url}/videos/${failed}.mp4`)).status).toBe(404);

    sim.faults.nullDataOnFailure = false; // the old shape, for clients that must tolerate it
    const old = await poll(sim, failed);
    expectBiz(old, 200, 50500);
    expect(old.json.data).toEqual({ status: 'done', video_url: '' });
  });

  it('failNextTasks and failEveryNth fail the chosen tasks', async () => {
    sim.setGenerationMs(0);
    sim.faults.failNextTasks = 2;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(taskOf(await submit(sim, t2v())));
    expect(ids.map((id) => sim.tasks.get(id)!.outcome)).toEqual(['fail', 'fail', 'ok']);
    sim.reset();
    sim.setGenerationMs(0);
    sim.faults.failEveryNth = 3;
    const more: string[] = [];
    for (let i = 0; i < 6; i++) more.push(taskOf(await submit(sim, t2v())));
    const codes = [];
    for (const id of more) codes.push((await poll(sim, id)).json.code);
    expect(codes).toEqual([10000, 10000, 50500, 10000, 10000, 50500]);
  });

  it('prompt triggers: RISK, RISK_IMAGE, RISK_OUTPUT, FAIL', async () => {
    sim.setGenerationMs(0);
    expectBiz(await submit(sim, t2v({ prompt: '一匹马 RISK' })), 400, 50412);
    expectBiz(await submit(sim, t2v({ prompt: 'RISK_IMAGE' })), 400, 50411);
    const ro = taskOf(await submit(sim, t2v({ prompt: 'RISK_OUTPUT 海边' })));
    expectBiz(await poll(sim, ro), 400, 50511);
    const fl = taskOf(await submit(sim, t2v({ prompt: 'FAIL 森林' })));
    expectBiz(await poll(sim, fl), 200, 50500);
    sim.faults.promptTriggers = false;
    expectBiz(await submit(sim, t2v({ prompt: 'RISK' })), 200, 10000);
  });

  it('slow answers late but answers, and the submit created its task', async () => {
    sim.faults.slowMs = 100;
    sim.inject('slow');
    const a = await submit(sim, t2v());
    expectBiz(a, 200, 10000);
    expect(sim.tasks.has(taskOf(a))).toBe(true);
  });

  it('hang never answers; close() ends the hung call', async () => {
    const own = await startJimengSimulator({ accessKeyId: AK, secretAccessKey: SK });
    own.inject('hang');
    const hung = submit(own, t2v()).then(
      () => 'answered',
      () => 'failed',
    );
    const raced = await Promise.race([hung, new Promise((r) => setTimeout(() => r('pending'), 150))]);
    expect(raced).toBe('pending');
    await own.close();
    expect(await hung).toBe('failed');
    expect(own.tasks.size).toBe(0);
  });
});

describe('limits and records', () => {
  it('a real QPS limit answers 50429 and counts it', async () => {
    sim.setLimits({ qps: 2 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => submit(sim, t2v())));
    const codes = answers.map((a) => a.json.code);
    expect(codes.filter((c) => c === 10000).length).toBeLessThanOrEqual(2);
    expect(codes).toContain(50429);
    expect(answers.find((a) => a.json.code === 50429)!.status).toBe(429);
    expect(sim.stats.qpsLimited).toBe(codes.filter((c) => c === 50429).length);
    expect(sim.calls.filter((c) => c.code === 50429).length).toBe(sim.stats.qpsLimited);
  });

  it('maxConcurrentTasks answers 50430 while tasks are unfinished', async () => {
    sim.setGenerationMs(60_000);
    sim.setLimits({ maxConcurrentTasks: 2 });
    expectBiz(await submit(sim, t2v()), 200, 10000);
    expectBiz(await submit(sim, t2v()), 200, 10000);
    expectBiz(await submit(sim, t2v()), 429, 50430);
    sim.setGenerationMs(0);
    expectBiz(await submit(sim, t2v()), 200, 10000);
  });

  it('records every answered call and reset() clears state', async () => {
    sim.setGenerationMs(0);
    const id = taskOf(await submit(sim, t2v()));
    await poll(sim, id);
    await submit(sim, t2v({ frames: 1 }));
    await submit(sim, t2v(), { ak: 'AKNOBODY' });
    expect(
      sim.calls.map(({ action, taskId, code, httpStatus }) => ({ action, taskId, code, httpStatus })),
    ).toEqual([
      { action: SUBMIT_ACTION, taskId: id, code: 10000, httpStatus: 200 },
      { action: GET_RESULT_ACTION, taskId: id, code: 10000, httpStatus: 200 },
      { action: SUBMIT_ACTION, taskId: undefined, code: 50215, httpStatus: 400 },
      { action: SUBMIT_ACTION, taskId: undefined, code: 'InvalidAccessKey', httpStatus: 401 },
    ]);
    expect(sim.stats).toMatchObject({ submits: 2, polls: 1, invalid: 1, authFailures: 1 });
    sim.reset();
    expect(sim.calls).toEqual([]);
    expect(sim.tasks.size).toBe(0);
    expect(sim.stats.submits).toBe(0);
  });

  it('accepts extra credentials', async () => {
    const own = await startJimengSimulator({
      accessKeyId: AK,
      secretAccessKey: SK,
      extraCredentials: { AKSECOND: 'SKSECOND' },
    });
    try {
      expectBiz(await submit(own, t2v(), { ak: 'AKSECOND', sk: 'SKSECOND' }), 200, 10000);
    } finally {
      await own.close();
    }
  });
});
