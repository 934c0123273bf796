import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JimengClient } from '../../src/jimeng/client.js';
import { isJimengError, type JimengError } from '../../src/jimeng/errors.js';
import { RateBudget } from '../../src/jimeng/rate-budget.js';

const HOST = 'https://visual.volcengineapi.com';
const RESULT = { Action: 'CVSync2AsyncGetResult', Version: '2022-08-31' };
const instant = async () => {};

const client = () =>
  new JimengClient({
    accessKeyId: 'AKLTget',
    secretAccessKey: 'c2VjcmV0',
    sleep: instant,
    retryBaseMs: 1,
    retries: 2,
    budget: new RateBudget({ qps: 1e6, sleep: instant }),
  });

/** Answers every get-result with `status`/`body`, counting calls. */
function answer(status: number, body: unknown, times = 10) {
  const seen = { calls: 0 };
  nock(HOST)
    .post('/')
    .query(RESULT)
    .times(times)
    .reply(() => {
      seen.calls++;
      return [status, typeof body === 'string' ? body : JSON.stringify(body)];
    });
  return seen;
}

const biz = (code: number, message = 'x') => ({ code, data: null, message, request_id: 'rq' });
const gateway = (Code: string, CodeN?: number) => ({
  ResponseMetadata: { RequestId: 'gw', Error: { Code, CodeN, Message: 'm' } },
});

async function caught(p: Promise<unknown>): Promise<JimengError> {
  try {
    await p;
  } catch (err) {
    if (isJimengError(err)) return err;
    throw err;
  }
  throw new Error('expected a JimengError');
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('getResult: answers that end the task are results, not call errors', () => {
  it.each<[string, number, unknown, Record<string, unknown>]>([
    [
      '50215 (inputs rejected)',
      400,
      biz(50215, 'Input invalid'),
      { code: 'INVALID_INPUT', jimengCode: 50215 },
    ],
    [
      '50400 (access denied)',
      403,
      biz(50400, 'Access Denied'),
      { code: 'ACCESS_DENIED', audience: 'operator' },
    ],
    ['50412 (input text risk)', 400, biz(50412), { code: 'CONTENT_RISK_INPUT_TEXT', audience: 'user' }],
    ['50511 (output risk)', 400, biz(50511), { code: 'CONTENT_RISK_OUTPUT', retryable: true }],
    ['50500 answered with HTTP 200', 200, biz(50500), { code: 'INTERNAL', jimengCode: 50500 }],
    ['an unknown code below HTTP 500', 400, biz(59999), { code: 'UNKNOWN', jimengCode: 59999 }],
    [
      'a numeric gateway code "50215"',
      400,
      gateway('50215'),
      { code: 'INVALID_INPUT', jimengCode: 50215, requestId: 'gw' },
    ],
    [
      'a numeric gateway code "50400"',
      403,
      gateway('50400'),
      { code: 'ACCESS_DENIED', audience: 'operator' },
    ],
  ])('%s → failed, asked once', async (_name, status, body, error) => {
    const seen = answer(status, body);
    const r = await client().getResult('7392616336519610409', 'jimeng_t2v_v30');
    expect(r).toMatchObject({ status: 'failed', error });
    expect(seen.calls).toBe(1);
  });

  it.each<[string, number, unknown, string]>([
    ['50429', 429, biz(50429), 'QPS_LIMIT'],
    ['50430', 429, biz(50430), 'CONCURRENCY_LIMIT'],
    ['50500 with HTTP 500', 500, biz(50500), 'INTERNAL'],
    ['50501 with HTTP 500', 500, biz(50501), 'INTERNAL'],
    ['an unknown code with HTTP 503', 503, biz(59999), 'UNKNOWN'],
    ['a 502 page', 502, '<html>bad gateway</html>', 'BAD_RESPONSE'],
    ['a numeric gateway code "50429"', 429, gateway('50429'), 'QPS_LIMIT'],
    ['gateway throttling', 429, gateway('FlowLimitExceeded'), 'QPS_LIMIT'],
  ])(
    '%s → thrown after the retries (the call failed, the task may be fine)',
    async (_n, status, body, code) => {
      const seen = answer(status, body);
      const e = await caught(client().getResult('t1', 'jimeng_t2v_v30'));
      expect(e).toMatchObject({ code, retryable: true });
      expect(seen.calls).toBe(3);
    },
  );

  it('gateway auth errors are thrown at once', async () => {
    const seen = answer(401, gateway('SignatureDoesNotMatch', 100010));
    const e = await caught(client().getResult('t1', 'jimeng_t2v_v30'));
    expect(e).toMatchObject({ code: 'SIGNATURE', audience: 'operator', retryable: false });
    expect(seen.calls).toBe(1);
  });

  it('wait() ends at the first poll that says the task failed, instead of polling until the timeout', async () => {
    const seen = answer(400, biz(50215, 'Input invalid for this service.'));
    const r = await client().wait('t1', 'jimeng_i2v_first_v30', {
      timeoutMs: 3_600_000,
      poll: { firstMs: 1 },
    });
    expect(r).toMatchObject({ status: 'failed', polls: 1, error: { code: 'INVALID_INPUT' } });
    expect(seen.calls).toBe(1);
  });
});
