import { Signer } from '@volcengine/openapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type JimengSimulator,
  SUBMIT_ACTION,
  startJimengSimulator,
} from '../../src/sandbox/jimeng-simulator.js';
import { AK, call, expectBiz, expectGatewayError, SK, submit, t2v } from './jimeng-sim-client.js';

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
