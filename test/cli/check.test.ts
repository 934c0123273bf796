import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../src/cli.js';
import { JimengClient } from '../../src/jimeng/client.js';
import { type JimengSimulator, startJimengSimulator } from '../../src/sandbox/jimeng-simulator.js';

const AK = 'AKLTcheck0000000000abcd';
const SK = 'Y2hlY2stc2VjcmV0';
const HOST = 'https://visual.volcengineapi.com';
const DENIED = new Set([
  'jimeng_t2v_v30_1080p',
  'jimeng_i2v_first_v30_1080',
  'jimeng_i2v_first_tail_v30_1080',
]);

let sim: JimengSimulator;
beforeAll(async () => {
  sim = await startJimengSimulator({ port: 0, accessKeyId: AK, secretAccessKey: SK });
});
afterAll(() => sim.close());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  sim.reset();
});

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { VOLC_ACCESSKEY: AK, VOLC_SECRETKEY: SK, JIMENG_QPS: '1000', ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    clientOptions: { retryBaseMs: 1 },
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

/** An account that may use every model except the 1080P ones (50400 per req_key, like the service). */
function accountWithout1080p() {
  const asked: string[] = [];
  nock.disableNetConnect();
  nock(HOST)
    .post('/')
    .query({ Action: 'CVSync2AsyncGetResult', Version: '2022-08-31' })
    .times(20)
    .reply((_uri, body) => {
      const { req_key } = (typeof body === 'string' ? JSON.parse(body) : body) as { req_key: string };
      asked.push(req_key);
      return DENIED.has(req_key)
        ? [403, { code: 50400, data: null, message: 'Access Denied', request_id: `rq-${req_key}` }]
        : [200, { code: 10000, data: { status: 'not_found' }, message: 'Success', request_id: 'rq' }];
    });
  return asked;
}

describe('jimeng check', () => {
  it('probes the default model first, then every model, and tabulates the account', async () => {
    const r = await run(['check'], { JIMENG_ENDPOINT: sim.url });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/账号 account\s+结论 verdict\s+可用模型 models usable/);
    expect(r.stdout).toContain('AKLT…abcd');
    expect(r.stdout).not.toContain(AK);
    expect(r.stdout).toContain('✅ ok');
    const asked = sim.calls.map((c) => c.action);
    expect(asked.every((a) => a === 'CVSync2AsyncGetResult')).toBe(true);
    expect(sim.calls.length).toBeGreaterThanOrEqual(8);
  });

  it('says which models the account can use when some answer 50400', async () => {
    const asked = accountWithout1080p();
    const r = await run(['check', '--json'], { JIMENG_DEFAULT_MODEL: '720p' });
    expect(r.code).toBe(0);
    expect(asked[0]).toBe('jimeng_t2v_v30');
    const j = JSON.parse(r.stdout);
    expect(j.accounts).toHaveLength(1);
    const account = j.accounts[0];
    expect(account).toMatchObject({ verdict: 'ok', defaultModel: 'jimeng_t2v_v30', account: 'AKLT…abcd' });
    expect(account.usable).toEqual([
      'jimeng_t2v_v30',
      'jimeng_ti2v_v30_pro',
      'jimeng_i2v_first_v30',
      'jimeng_i2v_first_tail_v30',
      'jimeng_i2v_recamera_v30',
    ]);
    expect(account.models.find((m: { reqKey: string }) => m.reqKey === 'jimeng_t2v_v30_1080p')).toMatchObject(
      {
        access: 'denied',
        jimengCode: 50400,
      },
    );
  });

  it('JIMENG_DEFAULT_MODEL=1080p on that account: access_denied, exit 2, naming what is usable', async () => {
    accountWithout1080p();
    const r = await run(['check'], { JIMENG_DEFAULT_MODEL: '1080p' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('access_denied');
    expect(r.stdout).toMatch(/jimeng_t2v_v30_1080p\s+⛔/);
    expect(r.stdout).toMatch(/jimeng_ti2v_v30_pro\s+✅/);
    expect(r.stdout).toContain('JIMENG_DEFAULT_MODEL');
    expect(r.stdout + r.stderr).not.toContain('管理员');
  });

  it('a req_key as JIMENG_DEFAULT_MODEL is probed first; a bad value is a config error', async () => {
    const asked = accountWithout1080p();
    const r = await run(['check'], { JIMENG_DEFAULT_MODEL: 'jimeng_i2v_recamera_v30' });
    expect(r.code).toBe(0);
    expect(asked[0]).toBe('jimeng_i2v_recamera_v30');
    const bad = await run(['check'], { JIMENG_DEFAULT_MODEL: '4k' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('JIMENG_DEFAULT_MODEL');
  });

  it('wrong keys: bad_credentials after one call, the SK never printed', async () => {
    const r = await run(['check'], { JIMENG_ENDPOINT: sim.url, VOLC_SECRETKEY: 'totally-wrong-secret' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('bad_credentials');
    expect(r.stdout + r.stderr).not.toContain('totally-wrong-secret');
    expect(sim.calls).toHaveLength(1);
  });

  it('client.checkAccount is usable without the CLI', async () => {
    accountWithout1080p();
    const c = new JimengClient({ accessKeyId: AK, secretAccessKey: SK, qps: 1000 });
    const one = await c.checkAccount({ model: 'pro', all: false });
    expect(one).toMatchObject({
      verdict: 'ok',
      defaultModel: 'jimeng_ti2v_v30_pro',
      usable: ['jimeng_ti2v_v30_pro'],
    });
    expect(one.models).toHaveLength(1);
  });
});
