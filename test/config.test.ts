import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const PROD = {
  LARK_APP_ID: 'cli_a1b2c3d4e5',
  LARK_APP_SECRET: 'app-secret-value',
  LARK_VERIFICATION_TOKEN: 'token',
  LARK_ENCRYPT_KEY: 'encrypt-key-value',
  VOLC_ACCESSKEY: 'AKLTexample',
  VOLC_SECRETKEY: 'secret-key-value',
};

function file(json: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'config.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the sandbox when no Feishu app is configured', () => {
    const c = loadConfig({});
    expect(c.sandbox).toBe(true);
    expect(c.jimeng.endpoint).toBe('https://visual.volcengineapi.com');
    expect(c.port).toBe(3000);
    expect(c.quota.timezone).toBe('Asia/Shanghai');
  });

  it('reads every documented variable from the environment', () => {
    const c = loadConfig({
      ...PROD,
      PORT: '8080',
      DATA_DIR: '/data',
      BOT_ADMINS: 'ou_aaa, ou_bbb',
      LARK_DOMAIN: 'lark',
      LARK_TRANSPORT: 'websocket',
      JIMENG_ENDPOINT: 'http://127.0.0.1:9',
      JIMENG_QPS: '2.5',
      JIMENG_MAX_CONCURRENT: '3',
      QUOTA_USER_DAILY: '7',
      BUDGET_DAILY_YUAN: '12.5',
      QUOTA_TIMEZONE: 'Europe/Berlin',
    });
    expect(c).toMatchObject({
      sandbox: false,
      port: 8080,
      dataDir: '/data',
      admins: ['ou_aaa', 'ou_bbb'],
      lark: { appId: 'cli_a1b2c3d4e5', domain: 'lark', transport: 'websocket' },
      jimeng: { endpoint: 'http://127.0.0.1:9', qps: 2.5, maxConcurrent: 3 },
      quota: { userDailyVideos: 7, dailyBudgetYuan: 12.5, timezone: 'Europe/Berlin' },
    });
  });

  it('merges CONFIG_FILE under the environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'prod.json');
    writeFileSync(file, JSON.stringify({ quota: { userDailyVideos: 9, chatDailyVideos: 4 }, port: 1234 }));
    const c = loadConfig({ CONFIG_FILE: file, PORT: '4321' });
    expect(c.quota).toMatchObject({ userDailyVideos: 9, chatDailyVideos: 4, maxInFlightPerUser: 2 });
    expect(c.port).toBe(4321);
  });

  it.each([
    [{ ...PROD, LARK_APP_SECRET: '' }, 'LARK_APP_SECRET'],
    [{ ...PROD, VOLC_ACCESSKEY: '' }, 'VOLC_ACCESSKEY'],
    [{ ...PROD, VOLC_SECRETKEY: '' }, 'VOLC_SECRETKEY'],
    [{ ...PROD, LARK_VERIFICATION_TOKEN: '' }, 'LARK_VERIFICATION_TOKEN'],
    [{ ...PROD, LARK_APP_ID: 'my-app' }, 'LARK_APP_ID'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ JIMENG_QPS: '0' }, 'JIMENG_QPS'],
    [{ JIMENG_ENDPOINT: 'visual.volcengineapi.com' }, 'JIMENG_ENDPOINT'],
    [{ LARK_TRANSPORT: 'carrier-pigeon' }, 'LARK_TRANSPORT'],
    [{ LARK_DOMAIN: 'ftp://x' }, 'LARK_DOMAIN'],
    [{ BOT_ADMINS: 'alice' }, 'BOT_ADMINS'],
    [{ QUOTA_TIMEZONE: 'Mars/Olympus' }, 'QUOTA_TIMEZONE'],
    [{ QUOTA_USER_DAILY: '1.5' }, 'QUOTA_USER_DAILY'],
    [{ CONFIG_FILE: '/nonexistent/prod.json' }, 'CONFIG_FILE'],
  ])('a bad setting names itself: %o', (env, setting) => {
    const e = errorOf(env);
    expect(e.setting).toBe(setting);
    expect(e.message.startsWith(`${setting}`)).toBe(true);
    expect(e.message).not.toContain('\n');
    for (const secret of ['app-secret-value', 'secret-key-value', 'encrypt-key-value'])
      expect(e.message).not.toContain(secret);
  });

  it('reports every missing or malformed setting at once, one line each', () => {
    const e = errorOf({
      LARK_APP_ID: 'cli_a1b2c3d4e5',
      PORT: 'eighty',
      BOT_ADMINS: 'alice',
      JIMENG_ENDPOINT: 'nope',
    });
    expect(e.problems.map((p) => p.setting)).toEqual([
      'PORT',
      'JIMENG_ENDPOINT',
      'BOT_ADMINS',
      'LARK_APP_SECRET',
      'LARK_VERIFICATION_TOKEN',
      'VOLC_ACCESSKEY',
      'VOLC_SECRETKEY',
    ]);
    expect(e.message.split('\n')).toHaveLength(7);
  });

  it('checks that the dedup window covers the replay age limit, and the price table', () => {
    expect(errorOf({ ...PROD, CONFIG_FILE: file({ lark: { maxEventAgeHours: 30 } }) }).setting).toBe(
      'retention.dedupHours',
    );
    expect(errorOf({ CONFIG_FILE: file({ jimeng: { prices: { jimeng_t2v_v30_pro: 1 } } }) }).message).toMatch(
      /^jimeng\.prices: .*jimeng_t2v_v30_pro/,
    );
    expect(
      loadConfig({ CONFIG_FILE: file({ jimeng: { prices: { jimeng_t2v_v30: 0.28 } } }) }).jimeng.prices,
    ).toEqual({
      jimeng_t2v_v30: 0.28,
    });
  });

  it('with only LARK_APP_ID set, the start lists everything missing and exits 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, LARK_APP_ID: 'cli_a1b2c3d4e5' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.map((l) => l.split(':')[1]?.trim())).toEqual([
      'LARK_APP_SECRET',
      'LARK_VERIFICATION_TOKEN',
      'VOLC_ACCESSKEY',
      'VOLC_SECRETKEY',
    ]);
    for (const l of lines) expect(l).toMatch(/^config error: /);
  });

  it('the process refuses to start with one line and exit code 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, ...PROD, VOLC_SECRETKEY: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'config error: VOLC_SECRETKEY: is required: the secret of the Volcengine access key',
    ]);
  });
});
