import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/jimeng/sign.js';
import {
  type JimengSimulator,
  SUBMIT_ACTION,
  startJimengSimulator,
} from '../../src/sandbox/jimeng-simulator.js';
import { AK, expectBiz, jpeg, png, SK, submit, t2v } from './jimeng-sim-client.js';

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
