import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../src/cli.js';
import { JimengClient } from '../src/jimeng/client.js';
import { type JimengSimulator, startJimengSimulator } from '../src/sandbox/jimeng-simulator.js';
import { gif, png } from './jimeng/images.js';

const AK = 'AKLTclitest';
const SK = 'Y2xpLXRlc3Qtc2VjcmV0';
let sim: JimengSimulator;
let dir: string;

beforeAll(async () => {
  sim = await startJimengSimulator({ port: 0, accessKeyId: AK, secretAccessKey: SK, generationMs: 300 });
  dir = await mkdtemp(join(tmpdir(), 'jimeng-cli-'));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => sim.reset());

async function run(argv: string[], opts: { env?: Record<string, string | undefined>; tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { VOLC_ACCESSKEY: AK, VOLC_SECRETKEY: SK, JIMENG_ENDPOINT: sim.url, JIMENG_QPS: '20', ...opts.env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false },
    clientOptions: { poll: { firstMs: 100, intervalMs: 100, minMs: 50 }, retryBaseMs: 20 },
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('jimeng CLI against the simulator', () => {
  it('t2v --wait --out writes an MP4', async () => {
    const file = join(dir, 'cat.mp4');
    const r = await run(['t2v', '橘猫打哈欠', '--wait', '--out', file]);
    expect(r.code).toBe(0);
    const bytes = await readFile(file);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(r.stdout).toContain('✅');
    expect(r.stderr).toMatch(/⏳ 00:0\d .*\(done\)/);
    expect(r.stderr).not.toContain('\r');
    const task = [...sim.tasks.values()][0]!;
    expect(task).toMatchObject({
      reqKey: 'jimeng_t2v_v30',
      prompt: '橘猫打哈欠',
      frames: 121,
      aspectRatio: '16:9',
    });
  });

  it('--json gives machine output; options reach the service', async () => {
    const r = await run([
      't2v',
      '海边日落',
      '-m',
      '1080p',
      '-d',
      '10',
      '-r',
      '9:16',
      '--seed',
      '42',
      '-w',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout.trim());
    expect(j).toMatchObject({ ok: true, status: 'done', reqKey: 'jimeng_t2v_v30_1080p' });
    expect(j.videoUrl).toMatch(/^http:\/\/127\.0\.0\.1/);
    expect(sim.tasks.get(j.taskId)).toMatchObject({ frames: 241, aspectRatio: '9:16', requestedSeed: 42 });
  });

  it('uses \\r for the progress line on a TTY', async () => {
    const r = await run(['t2v', '小狗奔跑', '--wait'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\r⏳');
  });

  it('t2v without --wait just submits', async () => {
    const r = await run(['t2v', '小狗奔跑']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('jimeng wait');
    expect(sim.tasks.size).toBe(1);
  });

  it('i2v with a file, then status/wait by tier finds the i2v req_key', async () => {
    const img = join(dir, 'frame.png');
    await writeFile(img, png(800, 600));
    const sub = await run(['i2v', '--image', img, '让画面动起来', '--json']);
    expect(sub.code).toBe(0);
    const { taskId, reqKey } = JSON.parse(sub.stdout.trim());
    expect(reqKey).toBe('jimeng_i2v_first_v30');
    expect(sim.tasks.get(taskId)!.images[0]!.equals(png(800, 600))).toBe(true);

    const st = await run(['status', taskId, '--model', '720p', '--json']);
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout.trim())).toMatchObject({ reqKey: 'jimeng_i2v_first_v30' });

    const out = join(dir, 'i2v.mp4');
    const w = await run(['wait', taskId, '--model', 'jimeng_i2v_first_v30', '--out', out]);
    expect(w.code).toBe(0);
    expect((await stat(out)).size).toBeGreaterThan(100);
  });

  it('a failed task exits 1 with the reason', async () => {
    const r = await run(['t2v', '会 FAIL 的任务', '--wait']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/错误 \[INTERNAL\]/);
  });

  it('content risk at submit exits 1', async () => {
    const r = await run(['t2v', 'RISK 内容']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CONTENT_RISK_INPUT_TEXT');
  });

  it.each([
    ['801-char prompt', ['t2v', '猫'.repeat(801)], 'PROMPT_TOO_LONG', '801'],
    ['--duration 7', ['t2v', '猫', '--duration', '7'], 'BAD_DURATION', '7'],
    ['--ratio 5:4', ['t2v', '猫', '--ratio', '5:4'], 'BAD_RATIO', '5:4'],
    ['unknown model', ['t2v', '猫', '--model', '4k'], 'BAD_MODEL', '4k'],
  ])('bad input (%s) exits 2 with no request', async (_name, argv, code, detail) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(code);
    expect(r.stderr).toContain(detail);
    expect(r.stderr).toMatch(/[\u4e00-\u9fff]/);
    expect(sim.calls).toHaveLength(0);
  });

  it('a GIF image exits 2 with no request', async () => {
    const img = join(dir, 'anim.gif');
    await writeFile(img, gif());
    const r = await run(['i2v', '--image', img, '动起来']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('IMAGE_FORMAT');
    expect(r.stderr).toContain('JPEG');
    expect(sim.calls).toHaveLength(0);
  });

  it('usage errors exit 2', async () => {
    expect((await run(['t2v'])).code).toBe(2);
    expect((await run(['i2v', 'x'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['t2v', 'x', '--bogus'])).code).toBe(2);
    expect((await run(['t2v', 'x', '--duration', 'five'])).code).toBe(2);
    expect((await run(['status', '123'])).code).toBe(2);
    expect((await run(['i2v', '--image', join(dir, 'missing.png'), 'x'])).code).toBe(2);
    expect(sim.calls).toHaveLength(0);
  });

  it('an unknown option suggests the nearest one, with the usage line', async () => {
    const r = await run(['t2v', '猫', '--modle', '1080p']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知选项 --modle，你是不是想用 --model？');
    expect(r.stderr).toContain('jimeng t2v "<prompt>"');
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|Unknown option/);
    const short = await run(['t2v', '猫', '--wiat']);
    expect(short.stderr).toContain('你是不是想用 --wait？');
    const far = await run(['t2v', '猫', '--frobnicate']);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('未知选项 --frobnicate');
    expect(far.stderr).not.toContain('你是不是想用');
    expect(sim.calls).toHaveLength(0);
  });

  it('an unknown command suggests the nearest one', async () => {
    const r = await run(['stauts', '123', '--model', '720p']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知命令 stauts，你是不是想用 status？');
    expect(r.stderr).toContain('jimeng status <task_id>');
    const far = await run(['frobnicate']);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('未知命令 frobnicate');
    expect(far.stderr).toContain('jimeng --help');
  });

  it('--seed takes a negative value without "=" and a missing option value is a usage error', async () => {
    const r = await run(['t2v', '猫', '--seed', '-1', '--json']);
    expect(r.code).toBe(0);
    expect(sim.tasks.get(JSON.parse(r.stdout).taskId)).toMatchObject({ requestedSeed: -1 });
    const m = await run(['t2v', '猫', '--model']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('--model');
  });

  it('missing keys: one line naming the variable, exit 2', async () => {
    const r = await run(['t2v', '猫'], { env: { VOLC_SECRETKEY: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('VOLC_SECRETKEY');
    const a = await run(['check'], { env: { VOLC_ACCESSKEY: '' } });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('VOLC_ACCESSKEY');
    expect(sim.calls).toHaveLength(0);
  });

  it('check: ok with the right keys, exit 2 with a wrong SK (which is never printed)', async () => {
    const good = await run(['check']);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('✅ ok');
    const bad = await run(['check'], { env: { VOLC_SECRETKEY: 'totally-wrong-secret' } });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('bad_credentials');
    expect(bad.stdout + bad.stderr).not.toContain('totally-wrong-secret');
  });

  it('models and --help need no keys', async () => {
    const m = await run(['models'], { env: { VOLC_ACCESSKEY: undefined, VOLC_SECRETKEY: undefined } });
    expect(m.code).toBe(0);
    for (const model of new JimengClient({ accessKeyId: 'a', secretAccessKey: 'b' }).listModels()) {
      expect(m.stdout).toContain(model.reqKey);
    }
    const j = await run(['models', '--json']);
    expect(JSON.parse(j.stdout)).toHaveLength(8);
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('jimeng t2v');
  });
});

describe('jimeng as a process', () => {
  it('runs main only when executed directly', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'models'],
      {
        env: { ...process.env, VOLC_ACCESSKEY: '', VOLC_SECRETKEY: '' },
      },
    );
    expect(stdout).toContain('jimeng_ti2v_v30_pro');
    const first = (await readFile('src/cli.ts', 'utf8')).split('\n')[0];
    expect(first).toBe('#!/usr/bin/env node');
  });
});
