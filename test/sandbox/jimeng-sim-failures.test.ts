import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type JimengSimulator, startJimengSimulator } from '../../src/sandbox/jimeng-simulator.js';
import { AK, expectBiz, poll, pollUntilDone, SK, submit, t2v, taskOf } from './jimeng-sim-client.js';

let sim: JimengSimulator;
beforeAll(async () => {
  sim = await startJimengSimulator({ accessKeyId: AK, secretAccessKey: SK, generationMs: 60_000 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.reset();
});

const statusOf = (a: { json: Record<string, unknown> }) =>
  (a.json.data as { status?: string } | null)?.status;

describe('failed tasks (the documented get-result shape)', () => {
  it('answer code ≠ 10000 with data: null, with the code and HTTP status of the failure', async () => {
    sim.setGenerationMs(0);
    const cases = [
      { failure: {}, http: 200, code: 50500, message: 'Internal Error' },
      { failure: { code: 50215 }, http: 400, code: 50215, message: 'Input invalid for this service.' },
      { failure: { code: 50516 }, http: 400, code: 50516, message: 'Post Video Risk Not Pass' },
      { failure: { code: 50501, httpStatus: 500, message: 'boom' }, http: 500, code: 50501, message: 'boom' },
    ];
    for (const c of cases) {
      sim.failNextTaskAfter(0, c.failure);
      const id = taskOf(await submit(sim, t2v()));
      const a = await poll(sim, id);
      expectBiz(a, c.http, c.code);
      expect(a.json).toMatchObject({ data: null, message: c.message });
      // Final: it answers the same again.
      expect((await poll(sim, id)).json).toMatchObject({ code: c.code, data: null });
    }
  });

  it('faults.failureCode sets the code of ordinary generation failures', async () => {
    sim.setGenerationMs(0);
    sim.faults.failureCode = 50215;
    sim.faults.failNextTasks = 1;
    const id = taskOf(await submit(sim, t2v()));
    expectBiz(await poll(sim, id), 400, 50215);
  });
});

describe('early failures', () => {
  it('a task fails the chosen time after submit, long before its generation time', async () => {
    sim.failNextTaskAfter(150);
    const submitted = Date.now();
    const id = taskOf(await submit(sim, t2v()));
    const other = taskOf(await submit(sim, t2v()));
    const answers = await pollUntilDone(sim, id);
    const failedAt = Date.now();
    const last = answers.at(-1)!;
    expectBiz(last, 200, 50500);
    expect(last.json.data).toBeNull();
    expect(
      answers
        .slice(0, -1)
        .map(statusOf)
        .every((s) => s === 'in_queue' || s === 'generating'),
    ).toBe(true);
    expect(failedAt - submitted).toBeGreaterThanOrEqual(150);
    expect(failedAt - submitted).toBeLessThan(10_000); // generation takes 60 s
    expect(sim.tasks.get(id)).toMatchObject({ outcome: 'fail', failAfterMs: 150 });
    // Only the next task: the one after it is still generating.
    expect(statusOf(await poll(sim, other))).toMatch(/in_queue|generating/);
  });

  it('queue up in order and are forgotten by reset()', async () => {
    sim.failNextTaskAfter(0, { code: 50511 });
    sim.failNextTaskAfter(0, { code: 50412 });
    sim.failNextTaskAfter(0);
    expect(sim.faults.earlyFailures).toHaveLength(3);
    const a = taskOf(await submit(sim, t2v()));
    const b = taskOf(await submit(sim, t2v()));
    expect((await poll(sim, a)).json.code).toBe(50511);
    expect((await poll(sim, b)).json.code).toBe(50412);
    sim.reset();
    expect(sim.faults.earlyFailures).toEqual([]);
    const c = taskOf(await submit(sim, t2v()));
    expect(statusOf(await poll(sim, c))).toBe('in_queue');
  });
});
