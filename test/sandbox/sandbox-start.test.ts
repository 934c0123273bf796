import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jimengCheckLine, sandboxBanner } from '../../src/sandbox/banner.js';
import { SAMPLE_CLIP } from '../../src/sandbox/jimeng-sim/video.js';

/**
 * `npm start` without a Feishu app, as its own process (`node --import tsx src/main.ts`): what it prints,
 * and that the printed `jimeng check` line works as it stands.
 */
const REAL = { VOLC_ACCESSKEY: 'AKREALKEYNEVERPRINTED', VOLC_SECRETKEY: 'real-secret-never-printed' };

let proc: ChildProcess | undefined;
afterEach(async () => {
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((r) => proc!.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }
  proc = undefined;
});

/** Starts the sandbox process; resolves with everything it printed once the banner is out. */
function startSandboxProcess(dataDir: string): Promise<string> {
  proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', ...REAL },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/npx jimeng check\n/.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    proc!.stdout!.on('data', onData);
    proc!.stderr!.on('data', onData);
    proc!.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

describe('the sandbox at start', () => {
  it('prints the page, the state folder, the simulator endpoint and a jimeng check line that works', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sbx-start-'));
    const out = await startSandboxProcess(dataDir);
    expect(out).toMatch(/Chat page {9}http:\/\/127\.0\.0\.1:\d+\//);
    expect(out).toContain(join(dataDir, 'sandbox'));
    const endpoint = /Jimeng simulator {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(endpoint).toBeDefined();
    const line = out
      .split('\n')
      .find((l) => l.includes('npx jimeng check'))!
      .trim();
    const m = /^VOLC_ACCESSKEY=(\S+) VOLC_SECRETKEY=(\S+) JIMENG_ENDPOINT=(\S+) npx jimeng check$/.exec(line);
    expect(m, line).not.toBeNull();
    expect(m![1]).toMatch(/^AKSANDBOX/);
    expect(m![3]).toBe(endpoint);
    for (const secret of Object.values(REAL)) expect(out).not.toContain(secret);

    // The line, run as printed (the CLI from source instead of the built `npx jimeng`).
    const check = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'check'], {
      env: { PATH: process.env.PATH, VOLC_ACCESSKEY: m![1], VOLC_SECRETKEY: m![2], JIMENG_ENDPOINT: m![3] },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(check.stdout, check.stderr).toContain('✅');
    expect(check.status).toBe(0);
  });

  it('logs one readable line per event in sandbox mode, not JSON', async () => {
    const out = await startSandboxProcess(mkdtempSync(join(tmpdir(), 'sbx-log-')));
    const logLines = out.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l));
    expect(logLines.length).toBeGreaterThan(0);
    expect(
      logLines.some((l) => /^\d\d:\d\d:\d\d INFO {2}jimeng-sim jimeng simulator listening {2}url=/.test(l)),
    ).toBe(true);
    expect(out.split('\n').some((l) => l.startsWith('{'))).toBe(false);
  });
});

describe('sandboxBanner', () => {
  const sb = {
    pageUrl: 'http://127.0.0.1:3000/',
    stateDir: '/srv/bot/data/sandbox',
    config: {
      jimeng: { accessKeyId: 'AKSANDBOX1234', secretAccessKey: 'abcd', endpoint: 'http://127.0.0.1:4000' },
    },
  } as unknown as Parameters<typeof sandboxBanner>[0];

  it('shows the state folder relative to the working directory', () => {
    expect(sandboxBanner(sb, '/srv/bot')).toContain('State             data/sandbox  (kept across restarts');
    expect(sandboxBanner(sb, '/elsewhere')).toContain('State             /srv/bot/data/sandbox');
    expect(jimengCheckLine(sb)).toBe(
      'VOLC_ACCESSKEY=AKSANDBOX1234 VOLC_SECRETKEY=abcd JIMENG_ENDPOINT=http://127.0.0.1:4000 npx jimeng check',
    );
  });
});

describe('the simulator clip the page tells about', () => {
  it('is what SAMPLE_CLIP says (duration from mvhd, size from tkhd)', () => {
    const mp4 = readFileSync('src/sandbox/assets/sample.mp4');
    const mvhd = mp4.indexOf('mvhd') + 4; // version 0: flags, creation, modification, timescale, duration
    expect(mp4[mvhd]).toBe(0);
    expect(mp4.readUInt32BE(mvhd + 16) / mp4.readUInt32BE(mvhd + 12)).toBe(SAMPLE_CLIP.seconds);
    const tkhd = mp4.indexOf('tkhd') + 4; // version 0: … matrix (36 bytes), width, height (16.16)
    const size = tkhd + 4 + 4 + 4 + 4 + 4 + 4 + 8 + 2 + 2 + 2 + 2 + 36;
    expect([mp4.readUInt32BE(size) / 65536, mp4.readUInt32BE(size + 4) / 65536]).toEqual([
      SAMPLE_CLIP.width,
      SAMPLE_CLIP.height,
    ]);
  });
});
