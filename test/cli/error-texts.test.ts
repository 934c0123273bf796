import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jimengErrorText } from '../../src/cli/texts/errors.js';
import { type CliIo, runCli } from '../../src/cli.js';
import { JIMENG_ERROR_CODES, JimengError } from '../../src/jimeng/errors.js';

const HOST = 'https://visual.volcengineapi.com';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { VOLC_ACCESSKEY: 'AKLTx', VOLC_SECRETKEY: 'c2s=', JIMENG_QPS: '100' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    clientOptions: { retryBaseMs: 1 },
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('CLI words for Jimeng errors (the CLI user is the operator)', () => {
  it('has a sentence for every code, naming the code, never "ask the admin"', () => {
    for (const code of JIMENG_ERROR_CODES) {
      const text = jimengErrorText(
        new JimengError({ code, message: 'technical', audience: 'operator', retryable: false, details: {} }),
      );
      expect(text, code).toContain(`[${code}]`);
      expect(text, code).toMatch(/[\u4e00-\u9fff]/);
      expect(text, code).not.toMatch(/联系管理员|管理员/);
    }
  });

  it('uses the details in the sentence', () => {
    const e = new JimengError({
      code: 'PROMPT_TOO_LONG',
      message: 'prompt has 801 characters, max 800',
      audience: 'user',
      retryable: false,
      details: { chars: 801, max: 800, recommended: 400 },
    });
    expect(jimengErrorText(e)).toContain('801');
    expect(jimengErrorText(e)).toContain('800');
  });

  it('access denied at submit tells the operator what to do, in its own words', async () => {
    nock(HOST)
      .post('/')
      .query(true)
      .reply(403, { code: 50400, data: null, message: 'Access Denied', request_id: 'rq-403' });
    const r = await run(['t2v', '橘猫']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[ACCESS_DENIED]');
    expect(r.stderr).toContain('控制台');
    expect(r.stderr).toContain('rq-403');
    expect(r.stderr).not.toContain('管理员');
  });
});
