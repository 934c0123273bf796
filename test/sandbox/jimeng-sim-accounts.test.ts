import { afterEach, describe, expect, it } from 'vitest';
import { type JimengSimulator, startJimengSimulator } from '../../src/sandbox/jimeng-simulator.js';
import { AK, expectBiz, poll, SK, submit, t2v, taskOf } from './jimeng-sim-client.js';

const A = { ak: 'AKACCOUNTA', sk: 'SKACCOUNTA==' };
const B = { ak: 'AKACCOUNTB', sk: 'SKACCOUNTB==' };

let sim: JimengSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(
  accounts: { qps?: number; maxConcurrentTasks?: number; deniedModels?: string[] }[],
  top = {},
) {
  sim = await startJimengSimulator({
    accessKeyId: AK,
    secretAccessKey: SK,
    generationMs: 60_000,
    accounts: [A, B].slice(0, accounts.length).map((x, i) => ({
      accessKeyId: x.ak,
      secretAccessKey: x.sk,
      ...accounts[i],
    })),
    ...top,
  });
  return sim;
}

describe('several accounts', () => {
  it('each has its own QPS limit', async () => {
    const s = await start([{ qps: 1 }, {}]);
    expectBiz(await submit(s, t2v(), A), 200, 10000);
    expectBiz(await submit(s, t2v(), A), 429, 50429); // within the same second
    expectBiz(await submit(s, t2v(), B), 200, 10000);
    expectBiz(await submit(s, t2v(), B), 200, 10000);
    expectBiz(await submit(s, t2v()), 200, 10000); // the main account: unlimited
    expect(s.calls.filter((c) => c.code === 50429).map((c) => c.accessKeyId)).toEqual([A.ak]);
  });

  it('each has its own concurrency limit, counting only its own tasks', async () => {
    const s = await start([{ maxConcurrentTasks: 1 }, { maxConcurrentTasks: 2 }]);
    expectBiz(await submit(s, t2v(), A), 200, 10000);
    expectBiz(await submit(s, t2v(), A), 429, 50430);
    expectBiz(await submit(s, t2v(), B), 200, 10000);
    expectBiz(await submit(s, t2v(), B), 200, 10000);
    expectBiz(await submit(s, t2v(), B), 429, 50430);
    s.setGenerationMs(0); // A's task is done: A may submit again
    expectBiz(await submit(s, t2v(), A), 200, 10000);
  });

  it('an account without a limit of its own uses the top-level one; setLimits changes one account or the default', async () => {
    const s = await start([{ maxConcurrentTasks: 5 }, {}], { maxConcurrentTasks: 1 });
    expectBiz(await submit(s, t2v(), B), 200, 10000);
    expectBiz(await submit(s, t2v(), B), 429, 50430); // B: the top-level 1
    s.setLimits({ maxConcurrentTasks: 3 }, B.ak);
    expectBiz(await submit(s, t2v(), B), 200, 10000);
    expectBiz(await submit(s, t2v()), 200, 10000);
    s.setLimits({ maxConcurrentTasks: 0 }); // the default: now unlimited for the main account
    expectBiz(await submit(s, t2v()), 200, 10000);
    expect(s.calls.at(-1)!.accessKeyId).toBe(AK);
    s.reset(); // limits back to the options
    expectBiz(await submit(s, t2v(), B), 200, 10000);
    expectBiz(await submit(s, t2v(), B), 429, 50430);
  });

  it('a task is invisible to other accounts: their get-result answers not_found', async () => {
    const s = await start([{}, {}]);
    const id = taskOf(await submit(s, t2v(), A));
    const byA = await poll(s, id, 'jimeng_t2v_v30', A);
    expectBiz(byA, 200, 10000);
    expect(byA.json.data).toMatchObject({ status: 'in_queue' });
    for (const other of [B, {}]) {
      const a = await poll(s, id, 'jimeng_t2v_v30', other);
      expectBiz(a, 200, 10000);
      expect(a.json.data).toEqual({ status: 'not_found', video_url: '' });
    }
    expect(s.tasks.get(id)!.polls).toBe(1);
  });

  it('a model an account has not enabled is answered 50400 (403), for that account only', async () => {
    const s = await start([{ deniedModels: ['jimeng_t2v_v30_1080p'] }, {}]);
    const hd = t2v({ req_key: 'jimeng_t2v_v30_1080p' });
    expectBiz(await submit(s, hd, A), 403, 50400);
    expectBiz(await submit(s, t2v(), A), 200, 10000);
    const id = taskOf(await submit(s, hd, B));
    expectBiz(await poll(s, id, 'jimeng_t2v_v30_1080p', A), 403, 50400);
    expectBiz(await poll(s, id, 'jimeng_t2v_v30_1080p', B), 200, 10000);
  });
});
