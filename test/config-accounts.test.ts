import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { derivedNames } from '../src/config/jimeng-accounts.js';
import { ConfigError, loadConfig } from '../src/config.js';

const PROD = {
  LARK_APP_ID: 'cli_a1b2c3d4e5',
  LARK_APP_SECRET: 'app-secret-value',
  LARK_VERIFICATION_TOKEN: 'token',
};
const SECRETS = ['secret-one-value', 'secret-two-value', 'secret-three-value'];

function file(json: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cfg-acc-')), 'config.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const s of SECRETS) expect(e.message).not.toContain(s);
    for (const p of e.problems) expect(p.message).not.toContain('\n');
    return e.problems.map((p) => p.message);
  }
  throw new Error('expected a ConfigError');
}

describe('jimeng accounts in the configuration', () => {
  it('one key pair is the plain case: one account, named after its masked key, with the global limits', () => {
    const c = loadConfig({
      ...PROD,
      VOLC_ACCESSKEY: 'AKLTexample0001',
      VOLC_SECRETKEY: SECRETS[0]!,
      JIMENG_QPS: '2',
      JIMENG_MAX_CONCURRENT: '3',
    });
    expect(c.jimeng.accounts).toEqual([
      {
        name: 'AKLT…0001',
        accessKeyId: 'AKLTexample0001',
        secretAccessKey: SECRETS[0],
        qps: 2,
        maxConcurrent: 3,
      },
    ]);
  });

  it('comma-separated lists: the i-th key with the i-th secret, JIMENG_QPS / JIMENG_MAX_CONCURRENT for each', () => {
    const c = loadConfig({
      ...PROD,
      VOLC_ACCESSKEY: 'AKLTfirst0001, AKLTsecond0002,AKLTthird0003',
      VOLC_SECRETKEY: SECRETS.join(','),
      JIMENG_MAX_CONCURRENT: '1',
    });
    expect(
      c.jimeng.accounts.map((a) => [a.name, a.accessKeyId, a.secretAccessKey, a.qps, a.maxConcurrent]),
    ).toEqual([
      ['AKLT…0001', 'AKLTfirst0001', SECRETS[0], 1, 1],
      ['AKLT…0002', 'AKLTsecond0002', SECRETS[1], 1, 1],
      ['AKLT…0003', 'AKLTthird0003', SECRETS[2], 1, 1],
    ]);
  });

  it('derived names stay unique and do not depend on the order of the list', () => {
    expect(derivedNames(['AKLTaaaa1234', 'AKLTbbbb1234'])).toEqual(['AKLT…aa1234', 'AKLT…bb1234']);
    expect(derivedNames(['AKLTbbbb1234', 'AKLTaaaa1234'])).toEqual(['AKLT…bb1234', 'AKLT…aa1234']);
    // Only the names that collide grow.
    expect(derivedNames(['AKLTcccc0001', 'AKLTaaaa1234', 'AKLTbbbb1234'])).toEqual([
      'AKLT…0001',
      'AKLT…aa1234',
      'AKLT…bb1234',
    ]);
  });

  it('the config file lists accounts with their own limits and models (tiers expanded)', () => {
    const c = loadConfig({
      ...PROD,
      CONFIG_FILE: file({
        jimeng: {
          qps: 2,
          maxConcurrent: 4,
          accounts: [
            { name: 'team-a', accessKeyId: 'AKLTa', secretAccessKey: SECRETS[0], qps: 1, maxConcurrent: 2 },
            {
              name: '备用',
              accessKeyId: 'AKLTb',
              secretAccessKey: SECRETS[1],
              models: ['720p', 'jimeng_ti2v_v30_pro'],
            },
          ],
        },
      }),
    });
    expect(c.jimeng.accounts).toEqual([
      { name: 'team-a', accessKeyId: 'AKLTa', secretAccessKey: SECRETS[0], qps: 1, maxConcurrent: 2 },
      {
        name: '备用',
        accessKeyId: 'AKLTb',
        secretAccessKey: SECRETS[1],
        qps: 2,
        maxConcurrent: 4,
        models: [
          'jimeng_t2v_v30',
          'jimeng_i2v_first_v30',
          'jimeng_i2v_first_tail_v30',
          'jimeng_i2v_recamera_v30',
          'jimeng_ti2v_v30_pro',
        ],
      },
    ]);
  });

  it('config/accounts.example.json loads', () => {
    const c = loadConfig({ ...PROD, CONFIG_FILE: 'config/accounts.example.json' });
    expect(c.jimeng.accounts.map((a) => a.name)).toEqual(['team-a', 'team-b']);
  });

  it('lists of different lengths are one line, naming both variables and no secret', () => {
    expect(
      problemsOf({
        ...PROD,
        VOLC_ACCESSKEY: 'AKLTa1,AKLTb2,AKLTc3',
        VOLC_SECRETKEY: SECRETS.slice(0, 2).join(','),
      }),
    ).toEqual([
      'VOLC_SECRETKEY: 3 access keys in VOLC_ACCESSKEY but 2 secrets; give one secret per key, comma-separated, in the same order',
    ]);
  });

  it('a duplicate key, an empty item, a bad name, bad limits and unknown models are each one line', () => {
    expect(
      problemsOf({
        ...PROD,
        VOLC_ACCESSKEY: 'AKLTsame0001,AKLTsame0001',
        VOLC_SECRETKEY: SECRETS.slice(0, 2).join(','),
      }),
    ).toEqual([
      'VOLC_ACCESSKEY: access key AKLT…0001 is given twice (accounts "AKLT…0001" and "AKLT…0001-2"); each account needs its own key',
    ]);
    expect(
      problemsOf({ ...PROD, VOLC_ACCESSKEY: 'AKLTa1,', VOLC_SECRETKEY: `${SECRETS[0]},${SECRETS[1]}` }),
    ).toEqual(['VOLC_ACCESSKEY: item 2 of the comma-separated list is empty']);
    const lines = problemsOf({
      ...PROD,
      CONFIG_FILE: file({
        jimeng: {
          accounts: [
            { name: 'has space', accessKeyId: 'AKLTa', secretAccessKey: SECRETS[0] },
            { name: 'b', accessKeyId: 'AKLTb', secretAccessKey: SECRETS[1], qps: 0, maxConcurrent: 1.5 },
            { name: 'c', accessKeyId: 'AKLTc', secretAccessKey: SECRETS[2], models: ['4k'] },
            { name: 'c', accessKeyId: 'AKLTa', secretAccessKey: SECRETS[2] },
            { name: 'e', accessKeyId: 'AKLTe' },
            'AKLTf',
          ],
        },
      }),
    });
    expect(lines).toEqual([
      'jimeng.accounts[0]: name "has space" must be 1-40 letters, digits, ".", "_" or "-", starting with a letter or digit',
      'jimeng.accounts[1]: qps ("b") must be a number > 0 (requests per second), got 0',
      'jimeng.accounts[1]: maxConcurrent ("b") must be an integer ≥ 1, got 1.5',
      'jimeng.accounts[2]: models ("c"): unknown model "4k"; use 720p, 1080p, pro or a req_key (see `jimeng models`)',
      'jimeng.accounts[4]: secretAccessKey ("e") is required: the secret of that access key',
      'jimeng.accounts[5]: must be an object { name, accessKeyId, secretAccessKey, qps?, maxConcurrent?, models? }',
    ]);
    const dup = problemsOf({
      ...PROD,
      CONFIG_FILE: file({
        jimeng: {
          accounts: [
            { name: 'a', accessKeyId: 'AKLTa', secretAccessKey: SECRETS[0] },
            { name: 'a', accessKeyId: 'AKLTa', secretAccessKey: SECRETS[1] },
          ],
        },
      }),
    });
    expect(dup).toEqual([
      'jimeng.accounts: access key AK… is given twice (accounts "a" and "a"); each account needs its own key',
      'jimeng.accounts: two accounts are named "a"; names must be unique (they are persisted with each job)',
    ]);
  });

  it('a list in the file and keys in the environment at once is a problem, not a silent choice', () => {
    expect(
      problemsOf({
        ...PROD,
        VOLC_ACCESSKEY: 'AKLTenv1',
        VOLC_SECRETKEY: SECRETS[0]!,
        CONFIG_FILE: file({
          jimeng: { accounts: [{ name: 'a', accessKeyId: 'AKLTa', secretAccessKey: SECRETS[1] }] },
        }),
      }),
    ).toEqual([
      'VOLC_ACCESSKEY: jimeng.accounts is set in the config file too; configure the accounts in one place (the list, or VOLC_ACCESSKEY / VOLC_SECRETKEY)',
    ]);
  });

  it('the sandbox needs no keys; production needs some, one way or the other', () => {
    expect(loadConfig({}).jimeng.accounts).toEqual([]);
    expect(problemsOf({ ...PROD })).toEqual([
      'VOLC_ACCESSKEY: is required: a Volcengine access key id (console → IAM → access keys), or list jimeng.accounts in the config file',
      'VOLC_SECRETKEY: is required: the secret of the Volcengine access key',
    ]);
  });
});
