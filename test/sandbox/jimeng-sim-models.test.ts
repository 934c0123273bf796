import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type JimengSimulator,
  SIM_CAMERA_TEMPLATES,
  SIM_REQ_KEYS,
  startJimengSimulator,
} from '../../src/sandbox/jimeng-simulator.js';
import {
  AK,
  expectBiz,
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
  sim = await startJimengSimulator({ accessKeyId: AK, secretAccessKey: SK, generationMs: 0 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.reset();
  sim.setGenerationMs(0);
});

const reason = (a: { headers: Headers }) => decodeURIComponent(a.headers.get('x-sim-reason') ?? '');
async function expectInvalid(body: Record<string, unknown>, why: RegExp) {
  const a = await submit(sim, body);
  expectBiz(a, 400, 50215);
  expect(a.json.data).toBeNull();
  expect(reason(a)).toMatch(why);
}

const firstTail = (extra: Record<string, unknown> = {}) => ({
  req_key: 'jimeng_i2v_first_tail_v30',
  prompt: '花开了',
  binary_data_base64: [png(1280, 720), png(640, 360)],
  ...extra,
});
const recamera = (extra: Record<string, unknown> = {}) => ({
  req_key: 'jimeng_i2v_recamera_v30',
  prompt: '镜头推进',
  binary_data_base64: [jpeg(800, 600)],
  template_id: 'hitchcock_dolly_in',
  ...extra,
});

describe('req_keys', () => {
  it('has no jimeng_t2v_v30_pro: submit and get-result answer 50215 like any unknown key', async () => {
    expect(SIM_REQ_KEYS).not.toContain('jimeng_t2v_v30_pro');
    expect(SIM_REQ_KEYS).toEqual(expect.arrayContaining(['jimeng_ti2v_v30_pro', 'jimeng_i2v_recamera_v30']));
    await expectInvalid(t2v({ req_key: 'jimeng_t2v_v30_pro' }), /unknown req_key/);
    const id = taskOf(await submit(sim, t2v()));
    expectBiz(await poll(sim, id, 'jimeng_t2v_v30_pro'), 400, 50215);
    expect(sim.tasks.size).toBe(1);
  });
});

describe('first + last frame (jimeng_i2v_first_tail_v30, _1080)', () => {
  it('takes two images of the same ratio, first then last, with a prompt', async () => {
    const a = await submit(sim, firstTail());
    expectBiz(a, 200, 10000);
    const task = sim.tasks.get(taskOf(a))!;
    expect(task.images.map((b) => b.readUInt32BE(16))).toEqual([1280, 640]); // order kept: first, then last
    expectBiz(await submit(sim, firstTail({ req_key: 'jimeng_i2v_first_tail_v30_1080' })), 200, 10000);
    const urls = {
      binary_data_base64: undefined,
      image_urls: ['https://e.x/first.png', 'https://e.x/last.png'],
    };
    expectBiz(await submit(sim, firstTail(urls)), 200, 10000);
  });

  it('refuses a missing prompt, one or three images, and frames of different ratios', async () => {
    await expectInvalid(firstTail({ prompt: undefined }), /prompt is required/);
    await expectInvalid(firstTail({ prompt: ' ' }), /prompt is required/);
    await expectInvalid(firstTail({ binary_data_base64: [png()] }), /takes 2 image/);
    await expectInvalid(firstTail({ binary_data_base64: [png(), png(), png()] }), /takes 2 image/);
    await expectInvalid(firstTail({ binary_data_base64: [png(1280, 720), png(800, 800)] }), /aspect ratio/);
    await expectInvalid(firstTail({ binary_data_base64: [png(), jpeg(800, 600)] }), /aspect ratio/);
    expect(sim.tasks.size).toBe(0);
  });
});

describe('camera motion (jimeng_i2v_recamera_v30)', () => {
  it('takes one image and any documented template; camera_strength defaults to medium', async () => {
    for (const template of SIM_CAMERA_TEMPLATES) {
      expectBiz(await submit(sim, recamera({ template_id: template })), 200, 10000);
    }
    expect(new Set([...sim.tasks.values()].map((t) => t.templateId))).toEqual(new Set(SIM_CAMERA_TEMPLATES));
    expect([...sim.tasks.values()].every((t) => t.cameraStrength === 'medium')).toBe(true);
    sim.reset();
    for (const strength of ['weak', 'medium', 'strong']) {
      const id = taskOf(await submit(sim, recamera({ camera_strength: strength })));
      expect(sim.tasks.get(id)!.cameraStrength).toBe(strength);
    }
    const id = taskOf(await submit(sim, recamera({ frames: 241, seed: 9 })));
    const done = (await pollUntilDone(sim, id, 'jimeng_i2v_recamera_v30')).at(-1)!;
    expect(done.json).toMatchObject({ code: 10000, data: { status: 'done', seed: 9 } });
  });

  it('refuses a missing or unknown template, a bad strength, other image counts and a missing prompt', async () => {
    await expectInvalid(recamera({ template_id: undefined }), /template_id/);
    await expectInvalid(recamera({ template_id: 'dolly_zoom' }), /template_id/);
    await expectInvalid(recamera({ camera_strength: 'extreme' }), /camera_strength/);
    await expectInvalid(recamera({ camera_strength: 2 }), /camera_strength/);
    await expectInvalid(recamera({ binary_data_base64: [] }), /takes 1 image/);
    await expectInvalid(recamera({ binary_data_base64: [jpeg(), jpeg()] }), /takes 1 image/);
    await expectInvalid(recamera({ prompt: '' }), /prompt is required/);
    expect(sim.tasks.size).toBe(0);
  });

  it('with requireCameraStrength, refuses a missing camera_strength', async () => {
    const strict = await startJimengSimulator({
      accessKeyId: AK,
      secretAccessKey: SK,
      requireCameraStrength: true,
    });
    try {
      expectBiz(await submit(strict, recamera()), 400, 50215);
      expectBiz(await submit(strict, recamera({ camera_strength: 'weak' })), 200, 10000);
    } finally {
      await strict.close();
    }
  });
});

describe('seeds', () => {
  it('takes -1 and 0…2^31−1, echoes the seed used, and refuses the rest', async () => {
    for (const seed of [0, 1, 2 ** 31 - 1]) {
      const id = taskOf(await submit(sim, t2v({ seed })));
      const done = (await pollUntilDone(sim, id)).at(-1)!;
      expect((done.json.data as { seed: number }).seed).toBe(seed);
    }
    const random = taskOf(await submit(sim, t2v({ seed: -1 })));
    const picked = ((await pollUntilDone(sim, random)).at(-1)!.json.data as { seed: number }).seed;
    expect(picked).toBe(sim.tasks.get(random)!.seed);
    expect(picked).toBeGreaterThanOrEqual(0);
    for (const seed of [2 ** 31, 2 ** 32, -2, 1.5, '7', null]) await expectInvalid(t2v({ seed }), /seed/);
  });
});
