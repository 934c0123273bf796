import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JimengClient, type JimengClientOptions } from '../../src/jimeng/client.js';
import { isJimengError, type JimengError } from '../../src/jimeng/errors.js';
import { type JimengSimulator, startJimengSimulator } from '../../src/sandbox/jimeng-simulator.js';
import { gif, jpeg } from './images.js';

const AK = 'AKLTsimulatortest';
const SK = 'U0stc2ltdWxhdG9yLXRlc3Q=';
let sim: JimengSimulator;

beforeAll(async () => {
  sim = await startJimengSimulator({ port: 0, accessKeyId: AK, secretAccessKey: SK, generationMs: 300 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

const fast = { firstMs: 100, intervalMs: 100, minMs: 50 };

function client(extra: Partial<JimengClientOptions> = {}) {
  return new JimengClient({
    accessKeyId: AK,
    secretAccessKey: SK,
    endpoint: sim.url,
    qps: 50,
    retryBaseMs: 20,
    poll: fast,
    ...extra,
  });
}

async function caught(p: Promise<unknown>): Promise<JimengError> {
  try {
    await p;
  } catch (err) {
    if (isJimengError(err)) return err;
    throw err;
  }
  throw new Error('expected a JimengError');
}

describe('JimengClient against the simulator (real sockets)', () => {
  it('text-to-video: submit, wait, download an MP4', async () => {
    sim.setGenerationMs(300);
    const c = client();
    const progress: string[] = [];
    const r = await c.generate(
      { model: '720p', prompt: '橘猫打哈欠', duration: 10, ratio: '1:1' },
      { onProgress: (p) => progress.push(p.status) },
    );
    expect(r.result.status).toBe('done');
    expect(progress.at(-1)).toBe('done');
    const task = sim.tasks.get(r.taskId)!;
    expect(task).toMatchObject({
      reqKey: 'jimeng_t2v_v30',
      prompt: '橘猫打哈欠',
      frames: 241,
      aspectRatio: '1:1',
    });
    const mp4 = await c.download(r.result.videoUrl!);
    expect(Buffer.from(mp4.subarray(4, 8)).toString('latin1')).toBe('ftyp');
  });

  it('image-to-video with bytes: the simulator decodes exactly our image', async () => {
    const bytes = jpeg(960, 640);
    const c = client();
    const s = await c.submit({ model: '1080p', prompt: '镜头缓慢推进', image: { bytes } });
    expect(s.reqKey).toBe('jimeng_i2v_first_v30_1080');
    const task = sim.tasks.get(s.taskId)!;
    expect(task.images).toHaveLength(1);
    expect(task.images[0]!.equals(bytes)).toBe(true);
    expect(task.aspectRatio).toBeUndefined();
    const r = await c.wait(s.taskId, s.reqKey);
    expect(r.status).toBe('done');
  });

  it('a multi-line prompt reaches the service unchanged', async () => {
    const prompt = '镜头一：雨夜的街道\n镜头二：霓虹倒影\n\n镜头三：行人撑伞走过';
    const s = await client().submit({ model: '720p', prompt });
    expect(sim.tasks.get(s.taskId)!.prompt).toBe(prompt);
  });

  it('first + last frame: the simulator receives both images in order', async () => {
    const first = jpeg(960, 640);
    const last = jpeg(1920, 1280);
    const s = await client().submit({
      model: '720p',
      prompt: '日落到夜晚',
      images: { first: { bytes: first }, last: { bytes: last } },
    });
    expect(s.reqKey).toBe('jimeng_i2v_first_tail_v30');
    const task = sim.tasks.get(s.taskId)!;
    expect(task.images).toHaveLength(2);
    expect(task.images[0]!.equals(first)).toBe(true);
    expect(task.images[1]!.equals(last)).toBe(true);
  });

  it('makes no call at all for invalid requests', async () => {
    const c = client();
    expect((await caught(c.submit({ model: '720p', prompt: 'x'.repeat(801) }))).code).toBe('PROMPT_TOO_LONG');
    expect((await caught(c.submit({ model: '720p', prompt: 'x', image: { bytes: gif() } }))).code).toBe(
      'IMAGE_FORMAT',
    );
    expect((await caught(c.submit({ model: '720p', prompt: 'x', ratio: '5:4' }))).code).toBe('BAD_RATIO');
    expect(sim.calls).toHaveLength(0);
  });

  it('testConnection: right keys → ok, wrong SK → bad_credentials', async () => {
    expect(await client().testConnection()).toMatchObject({ ok: true, verdict: 'ok' });
    const bad = await client({ secretAccessKey: 'wrong-secret' }).testConnection();
    expect(bad).toMatchObject({ ok: false, verdict: 'bad_credentials' });
    expect(bad.error?.gatewayCode).toBe('SignatureDoesNotMatch');
    const unknownAk = await client({ accessKeyId: 'AKnobody' }).testConnection();
    expect(unknownAk).toMatchObject({ ok: false, verdict: 'bad_credentials' });
  });

  it('getResult with a different req_key than the submit is answered 50215: a failed result', async () => {
    const c = client();
    const s = await c.submit({ model: '720p', prompt: 'x' });
    const r = await c.getResult(s.taskId, 'jimeng_t2v_v30_1080p');
    expect(r).toMatchObject({ status: 'failed', error: { code: 'INVALID_INPUT', jimengCode: 50215 } });
  });

  it('retries injected 50429/50430 on submit, and a 500 on get-result', async () => {
    const c = client();
    sim.inject('qps', 'concurrency');
    const s = await c.submit({ model: '720p', prompt: 'x' });
    expect(sim.tasks.size).toBe(1);
    sim.inject('500');
    const r = await c.getResult(s.taskId, s.reqKey);
    expect(['in_queue', 'generating', 'done']).toContain(r.status);
    expect(sim.calls.filter((x) => x.code === 50500)).toHaveLength(1);
  });

  it('retries a parsed 50500 (nothing was created) but never a submit that timed out after sending', async () => {
    sim.inject('500');
    await client().submit({ model: '720p', prompt: 'x' });
    expect(sim.calls.filter((x) => x.action === 'CVSync2AsyncSubmitTask')).toHaveLength(2);
    expect(sim.tasks.size).toBe(1);

    sim.reset();
    sim.inject('slow');
    sim.faults.slowMs = 2000;
    const t = await caught(client({ timeoutMs: 300 }).submit({ model: '720p', prompt: 'x' }));
    expect(t).toMatchObject({ code: 'TIMEOUT', maybeCreated: true });
    expect(sim.tasks.size).toBe(1); // the service did create it: a retry would have made two
  });

  it('content risk at submit and at generation', async () => {
    const c = client();
    expect((await caught(c.submit({ model: '720p', prompt: 'RISK 违规内容' }))).code).toBe(
      'CONTENT_RISK_INPUT_TEXT',
    );
    sim.inject('risk_output');
    const r = await c.generate({ model: '720p', prompt: '海边日落' });
    expect(r.result).toMatchObject({
      status: 'failed',
      error: { code: 'CONTENT_RISK_OUTPUT', retryable: true },
    });
  });

  it('many waiting tasks never exceed the account QPS (simulator enforces 5/s, client budget 3/s)', async () => {
    sim.setLimits({ qps: 5, maxConcurrentTasks: 3 });
    sim.setGenerationMs(800);
    const c = client({ qps: 3, maxConcurrent: 3, poll: { firstMs: 100, intervalMs: 100, minMs: 100 } });
    const jobs = Array.from({ length: 5 }, (_, i) => c.generate({ model: '720p', prompt: `任务 ${i}` }));
    const results = await Promise.all(jobs);
    expect(results.every((r) => r.result.status === 'done')).toBe(true);
    expect(sim.stats.qpsLimited).toBe(0);
    expect(sim.stats.concurrencyLimited).toBe(0);
    // Outcome check on the recorded arrival times, with a generous margin: ≤ 5 in any 1 s window.
    const at = sim.calls.map((x) => x.at).sort((a, b) => a - b);
    for (const t of at) expect(at.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(5);
  });
});
