import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  GET_RESULT_ACTION,
  type JimengSimulator,
  SUBMIT_ACTION,
  startJimengSimulator,
} from '../../src/sandbox/jimeng-simulator.js';
import { AK, call, expectBiz, poll, pollUntilDone, SK, submit, t2v, taskOf } from './jimeng-sim-client.js';

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
