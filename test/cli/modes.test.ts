import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../src/cli.js';
import { png } from '../jimeng/images.js';

const HOST = 'https://visual.volcengineapi.com';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jimeng-cli-modes-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { VOLC_ACCESSKEY: 'AKLTmodes', VOLC_SECRETKEY: 'bW9kZXM=', JIMENG_QPS: '100' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    clientOptions: { retryBaseMs: 1 },
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

function capture() {
  const bodies: Record<string, unknown>[] = [];
  nock.disableNetConnect();
  nock(HOST)
    .post('/')
    .query(true)
    .reply((_uri, body) => {
      bodies.push(typeof body === 'string' ? JSON.parse(body) : (body as Record<string, unknown>));
      return [200, { code: 10000, data: { task_id: 't-1' }, message: 'Success' }];
    });
  return bodies;
}

describe('jimeng i2v modes', () => {
  it('--last makes a first + last frame request; a multi-line prompt is sent unchanged', async () => {
    const first = join(dir, 'first.png');
    const last = join(dir, 'last.png');
    await writeFile(first, png(800, 600));
    await writeFile(last, png(1600, 1200));
    const bodies = capture();
    const r = await run([
      'i2v',
      '--image',
      first,
      '--last',
      last,
      '清晨\n黄昏',
      '--model',
      '1080p',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(bodies[0]).toMatchObject({
      req_key: 'jimeng_i2v_first_tail_v30_1080',
      prompt: '清晨\n黄昏',
      binary_data_base64: [png(800, 600).toString('base64'), png(1600, 1200).toString('base64')],
    });
  });

  it('--camera and --strength make a camera-motion request', async () => {
    const bodies = capture();
    const r = await run([
      'i2v',
      '-i',
      'https://img.example/a.jpg',
      '--camera',
      'crane_push',
      '--strength',
      'strong',
      '升起',
    ]);
    expect(r.code).toBe(0);
    expect(bodies[0]).toMatchObject({
      req_key: 'jimeng_i2v_recamera_v30',
      template_id: 'crane_push',
      camera_strength: 'strong',
    });
  });

  it('a bad template is refused before any call, listing the templates', async () => {
    nock.disableNetConnect();
    const r = await run(['i2v', '-i', 'https://img.example/a.jpg', '--camera', 'zoom', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[BAD_CAMERA_TEMPLATE]');
    expect(r.stderr).toContain('hitchcock_dolly_in');
  });

  it('models lists the camera templates with their names', async () => {
    const r = await run(['models']);
    expect(r.stdout).toContain('hitchcock_dolly_in');
    expect(r.stdout).toContain('希区柯克推进');
    expect(r.stdout).toContain('Hitchcock dolly in');
  });
});
