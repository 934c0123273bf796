import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../src/cli.js';
import { fakeClock } from './fake-clock.js';

const HOST = 'https://visual.volcengineapi.com';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** Submit answers t-1; polls answer `statuses` in order (the last with a video). */
function service(statuses: string[]) {
  nock.disableNetConnect();
  nock(HOST)
    .post('/')
    .query({ Action: 'CVSync2AsyncSubmitTask', Version: '2022-08-31' })
    .reply(200, { code: 10000, data: { task_id: 't-1' }, message: 'Success' });
  for (const status of statuses) {
    nock(HOST)
      .post('/')
      .query({ Action: 'CVSync2AsyncGetResult', Version: '2022-08-31' })
      .reply(200, {
        code: 10000,
        data: { status, ...(status === 'done' ? { video_url: 'https://cdn.example/v.mp4' } : {}) },
        message: 'Success',
      });
  }
}

async function run(tty: boolean) {
  const clock = fakeClock();
  let stdout = '';
  const writes: { at: number; text: string }[] = [];
  const io: CliIo = {
    env: { VOLC_ACCESSKEY: 'AKLTprogress', VOLC_SECRETKEY: 'cHJvZ3Jlc3M=', JIMENG_QPS: '1000' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => writes.push({ at: clock.elapsed(), text: s }), isTTY: tty },
    clock,
    clientOptions: { now: clock.now, sleep: clock.sleep },
  };
  const code = await runCli(['t2v', '橘猫', '--wait'], io);
  return { code, stdout, writes, stderr: writes.map((w) => w.text).join('') };
}

// Default polling: first poll 10 s after submit, then after 8, 6, 4.5 s → polls at 10, 18, 24, 28.5 s.
const STATUSES = ['in_queue', 'generating', 'generating', 'done'];

describe('jimeng t2v --wait progress', () => {
  it('on a TTY: a live line from the first second, redrawn every second with the last known status', async () => {
    service(STATUSES);
    const r = await run(true);
    expect(r.code).toBe(0);
    const frames = r.writes.filter((w) => w.text.startsWith('\r⏳')).map((w) => w.text.replace(/\s+$/, ''));
    // Before the first poll answers (10 s), one frame per second says the task is submitted.
    expect(frames.slice(0, 10)).toEqual(
      Array.from({ length: 10 }, (_, s) => `\r⏳ 00:0${s} 已提交 (submitted)`),
    );
    expect(frames).toContain('\r⏳ 00:10 排队中 (in_queue)');
    expect(frames).toContain('\r⏳ 00:17 排队中 (in_queue)');
    expect(frames).toContain('\r⏳ 00:18 生成中 (generating)');
    expect(frames).toContain('\r⏳ 00:27 生成中 (generating)');
    expect(frames.at(-1)).toBe('\r⏳ 00:28 已完成 (done)');
    // Every second from 0 to 28 is shown.
    const seconds = new Set(frames.map((f) => f.slice(3, 8)));
    for (let s = 0; s <= 28; s++) expect(seconds).toContain(`00:${String(s).padStart(2, '0')}`);
    expect(r.stdout).toContain('https://cdn.example/v.mp4');
  });

  it('without a TTY: one line per status change and one every 10 s, no \\r', async () => {
    service(STATUSES);
    const r = await run(false);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\r');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('⏳'));
    expect(lines).toEqual([
      '⏳ 00:00 已提交 (submitted)',
      '⏳ 00:10 已提交 (submitted)',
      '⏳ 00:10 排队中 (in_queue)',
      '⏳ 00:18 生成中 (generating)',
      '⏳ 00:28 生成中 (generating)',
      '⏳ 00:28 已完成 (done)',
    ]);
  });
});
