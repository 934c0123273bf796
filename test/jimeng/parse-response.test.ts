import { describe, expect, it } from 'vitest';
import { parseResultResponse } from '../../src/jimeng/parse-result.js';
import { parseSubmitResponse } from '../../src/jimeng/parse-submit.js';
import { fromServiceCode } from '../../src/jimeng/service-codes.js';
import { thrown } from '../helpers/jimeng-error.js';

const j = (v: unknown) => JSON.stringify(v);

describe('error mapping', () => {
  const cases: [number, string, string, boolean][] = [
    [50411, 'CONTENT_RISK_INPUT_IMAGE', 'user', false],
    [50412, 'CONTENT_RISK_INPUT_TEXT', 'user', false],
    [50413, 'CONTENT_RISK_INPUT_TEXT', 'user', false],
    [50512, 'CONTENT_RISK_OUTPUT_TEXT', 'user', false],
    [50511, 'CONTENT_RISK_OUTPUT', 'user', true],
    [50516, 'CONTENT_RISK_OUTPUT', 'user', true],
    [50517, 'CONTENT_RISK_OUTPUT', 'user', true],
    [50519, 'CONTENT_RISK_OUTPUT', 'user', true],
    [50518, 'CONTENT_RISK_INPUT_IMAGE', 'user', false],
    [50520, 'RISK_SERVICE_ERROR', 'transient', false],
    [50521, 'RISK_SERVICE_ERROR', 'transient', false],
    [50522, 'RISK_SERVICE_ERROR', 'transient', false],
    [50215, 'INVALID_INPUT', 'user', false],
    [50400, 'ACCESS_DENIED', 'operator', false],
    [50429, 'QPS_LIMIT', 'transient', true],
    [50430, 'CONCURRENCY_LIMIT', 'transient', true],
    [50500, 'INTERNAL', 'transient', true],
    [50501, 'INTERNAL', 'transient', true],
    [59999, 'UNKNOWN', 'operator', false],
  ];
  it.each(cases)('%i → %s', (code, name, audience, retryable) => {
    const e = fromServiceCode(code, 'msg', { httpStatus: 400, requestId: 'r1' });
    expect(e).toMatchObject({
      code: name,
      audience,
      retryable,
      jimengCode: code,
      httpStatus: 400,
      requestId: 'r1',
    });
    expect(e).not.toHaveProperty('userMessage');
    expect(e.message).toMatch(new RegExp(`^Jimeng error ${code}: msg`));
  });
});

describe('parseSubmitResponse', () => {
  it('reads the documented success answer', () => {
    const body = j({
      code: 10000,
      data: { task_id: '7392616336519610409' },
      message: 'Success',
      request_id: 'rq',
    });
    expect(parseSubmitResponse(200, body)).toEqual({ taskId: '7392616336519610409', requestId: 'rq' });
  });

  it('reads the original spec shape (ResponseMetadata + Result)', () => {
    const body = j({
      ResponseMetadata: { RequestId: 'rq2' },
      Result: { code: 10000, data: { task_id: 't2' } },
    });
    expect(parseSubmitResponse(200, body)).toEqual({ taskId: 't2', requestId: 'rq2' });
  });

  it('turns business errors into JimengErrors whatever the HTTP status', () => {
    const risk = j({ code: 50413, data: null, message: 'Post Text Risk Not Pass', request_id: 'r3' });
    expect(thrown(() => parseSubmitResponse(400, risk))).toMatchObject({
      code: 'CONTENT_RISK_INPUT_TEXT',
      requestId: 'r3',
    });
    expect(thrown(() => parseSubmitResponse(200, risk)).code).toBe('CONTENT_RISK_INPUT_TEXT');
    expect(thrown(() => parseSubmitResponse(429, j({ code: 50429, message: 'limit' }))).code).toBe(
      'QPS_LIMIT',
    );
  });

  it('maps the gateway error shape', () => {
    const gw = j({
      ResponseMetadata: {
        RequestId: 'g1',
        Error: {
          CodeN: 100010,
          Code: 'SignatureDoesNotMatch',
          Message: 'The request signature we calculated…',
        },
      },
    });
    const e = thrown(() => parseSubmitResponse(401, gw));
    expect(e).toMatchObject({
      code: 'SIGNATURE',
      audience: 'operator',
      retryable: false,
      jimengCode: 100010,
    });
    expect(e.gatewayCode).toBe('SignatureDoesNotMatch');
    expect(e.requestId).toBe('g1');
    const ak = j({ ResponseMetadata: { Error: { CodeN: 100009, Code: 'InvalidAccessKey', Message: 'x' } } });
    expect(thrown(() => parseSubmitResponse(401, ak)).code).toBe('AUTH');
    const flow = j({ ResponseMetadata: { Error: { Code: 'FlowLimitExceeded', Message: 'x' } } });
    expect(thrown(() => parseSubmitResponse(429, flow)).code).toBe('QPS_LIMIT');
  });

  it('rejects garbage', () => {
    expect(thrown(() => parseSubmitResponse(502, '<html>Bad Gateway</html>'))).toMatchObject({
      code: 'BAD_RESPONSE',
      retryable: true,
    });
    expect(thrown(() => parseSubmitResponse(200, j({ code: 10000, data: {} }))).code).toBe('BAD_RESPONSE');
  });
});

describe('parseResultResponse', () => {
  const res = (status: string, extra: object = {}, code = 10000) =>
    j({ code, data: { status, ...extra }, message: code === 10000 ? 'Success' : 'x', request_id: 'q' });

  it('maps documented and original-spec statuses', () => {
    for (const s of ['in_queue', 'not_start', 'pending'])
      expect(parseResultResponse(200, res(s)).status).toBe('in_queue');
    for (const s of ['generating', 'running'])
      expect(parseResultResponse(200, res(s)).status).toBe('generating');
    expect(parseResultResponse(200, res('done', { video_url: 'https://v/1.mp4' }))).toMatchObject({
      status: 'done',
      videoUrl: 'https://v/1.mp4',
      requestId: 'q',
    });
    expect(parseResultResponse(200, res('success', { video_url: 'https://v/2.mp4' })).videoUrl).toBe(
      'https://v/2.mp4',
    );
    expect(parseResultResponse(200, res('not_found'))).toMatchObject({
      status: 'not_found',
      error: { code: 'TASK_NOT_FOUND' },
    });
    expect(parseResultResponse(200, res('expired'))).toMatchObject({
      status: 'expired',
      error: { code: 'TASK_EXPIRED' },
    });
    for (const s of ['failed', 'fail']) {
      expect(parseResultResponse(200, res(s))).toMatchObject({
        status: 'failed',
        error: { code: 'TASK_FAILED' },
      });
    }
  });

  it('treats done with a non-10000 code as failure', () => {
    expect(parseResultResponse(200, res('done', {}, 50500))).toMatchObject({
      status: 'failed',
      error: { code: 'INTERNAL', jimengCode: 50500 },
    });
    expect(parseResultResponse(400, res('done', {}, 50511))).toMatchObject({
      status: 'failed',
      error: { code: 'CONTENT_RISK_OUTPUT', retryable: true },
    });
    // Content-risk code with data null on a poll: the task failed.
    expect(
      parseResultResponse(400, j({ code: 50516, data: null, message: 'Post Video Risk Not Pass' })),
    ).toMatchObject({
      status: 'failed',
      error: { code: 'CONTENT_RISK_OUTPUT' },
    });
    expect(parseResultResponse(200, res('done'))).toMatchObject({
      status: 'failed',
      error: { code: 'TASK_FAILED' },
    });
  });

  it('throws for call-level failures so they can be retried', () => {
    expect(thrown(() => parseResultResponse(429, j({ code: 50429, data: null }))).code).toBe('QPS_LIMIT');
    expect(thrown(() => parseResultResponse(500, j({ code: 50500, data: null }))).code).toBe('INTERNAL');
    // 50215 (and every other non-retryable code) answered to a get-result is the task's failure.
    expect(parseResultResponse(400, j({ code: 50215, data: null }))).toMatchObject({
      status: 'failed',
      error: { code: 'INVALID_INPUT' },
    });
    expect(thrown(() => parseResultResponse(200, j({ code: 10000, data: {} }))).code).toBe('BAD_RESPONSE');
  });

  it('tolerates a nested resp_data string and the Result wrapper', () => {
    const nested = j({
      code: 10000,
      data: { status: 'done', resp_data: j({ video_url: 'https://v/3.mp4' }) },
    });
    expect(parseResultResponse(200, nested).videoUrl).toBe('https://v/3.mp4');
    const wrapped = j({
      ResponseMetadata: { RequestId: 'w' },
      Result: { code: 10000, data: { status: 'running' } },
    });
    expect(parseResultResponse(200, wrapped)).toMatchObject({ status: 'generating', requestId: 'w' });
  });
});
