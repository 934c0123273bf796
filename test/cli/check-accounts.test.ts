import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../src/cli.js';
import { type JimengSimulator, startJimengSimulator } from '../../src/sandbox/jimeng-simulator.js';

const A = { ak: 'AKLTaccountaaaa0001', sk: 'c2VjcmV0LW9mLWFjY291bnQtYQ==' };
const B = { ak: 'AKLTaccountbbbb0002', sk: 'c2VjcmV0LW9mLWFjY291bnQtYg==' };
const WRONG = 'd3Jvbmctc2VjcmV0LWZvci1i';

let sim: JimengSimulator;
beforeAll(async () => {
  sim = await startJimengSimulator({
    port: 0,
    accessKeyId: A.ak,
    secretAccessKey: A.sk,
    accounts: [{ accessKeyId: B.ak, secretAccessKey: B.sk }],
  });
});
afterAll(() => sim.close());

async function run(argv: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { JIMENG_ENDPOINT: sim.url, JIMENG_QPS: '1000', ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    clientOptions: { retryBaseMs: 1 },
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

describe('jimeng check with several accounts', () => {
  it('comma-separated keys: every account is checked and tabulated, a bad one named, no secret printed', async () => {
    sim.reset();
    const r = await run(['check'], { VOLC_ACCESSKEY: `${A.ak},${B.ak}`, VOLC_SECRETKEY: `${A.sk},${WRONG}` });
    expect(r.code).toBe(2);
    const table = r.stdout.split('\n').slice(0, 3);
    expect(table[0]).toMatch(/账号 account\s+结论 verdict\s+可用模型 models usable/);
    expect(table[1]).toMatch(/^AKLT…0001\s+✅ ok\s+jimeng_t2v_v30, /);
    expect(table[2]).toMatch(/^AKLT…0002\s+❌ bad_credentials\s+—$/);
    expect(r.stderr).toContain('check failed: ok, bad_credentials');
    for (const secret of [A.sk, WRONG, B.sk]) expect(r.stdout + r.stderr).not.toContain(secret);
    // Each account signed its own probes.
    expect(new Set(sim.calls.map((c) => c.accessKeyId))).toEqual(new Set([A.ak, undefined]));
  });

  it('the accounts of a config file, by name; --account checks one', async () => {
    sim.reset();
    const dir = mkdtempSync(join(tmpdir(), 'check-acc-'));
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        jimeng: {
          accounts: [
            { name: 'team-a', accessKeyId: A.ak, secretAccessKey: A.sk },
            { name: 'team-b', accessKeyId: B.ak, secretAccessKey: B.sk, maxConcurrent: 1 },
          ],
        },
      }),
    );
    const all = await run(['check', '--json'], { CONFIG_FILE: file });
    expect(all.code).toBe(0);
    const j = JSON.parse(all.stdout) as {
      accounts: { account: string; verdict: string; usable: string[] }[];
    };
    expect(j.accounts.map((a) => [a.account, a.verdict])).toEqual([
      ['team-a', 'ok'],
      ['team-b', 'ok'],
    ]);
    expect(j.accounts[1]!.usable).toContain('jimeng_t2v_v30_1080p');
    expect(new Set(sim.calls.map((c) => c.accessKeyId))).toEqual(new Set([A.ak, B.ak]));
    sim.reset();
    const one = await run(['check', '--account', 'team-b'], { CONFIG_FILE: file });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^team-b\s+✅ ok/m);
    expect(one.stdout).not.toContain('team-a');
    expect(new Set(sim.calls.map((c) => c.accessKeyId))).toEqual(new Set([B.ak]));
    const unknown = await run(['check', '--account', 'team-c'], { CONFIG_FILE: file });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('team-a, team-b');
  });

  it('lists of different lengths are a config error of one line, exit 2, no call made', async () => {
    sim.reset();
    const r = await run(['check'], { VOLC_ACCESSKEY: `${A.ak},${B.ak}`, VOLC_SECRETKEY: A.sk });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      '配置错误 (config): 账号配置有误 (accounts): VOLC_SECRETKEY: 2 access keys in VOLC_ACCESSKEY but 1 secret; give one secret per key, comma-separated, in the same order',
    );
    expect(r.stderr).not.toContain(A.sk);
    expect(sim.calls).toHaveLength(0);
  });
});
