/**
 * The answer parsers against the documented sample answers in test/fixtures/jimeng/ (each file's
 * `_source` names the section of the Jimeng reference it follows), fed as the HTTP status and body text
 * the client receives.
 */
import { describe, expect, it } from 'vitest';
import { parseResultResponse } from '../../src/jimeng/parse-result.js';
import { parseSubmitResponse } from '../../src/jimeng/parse-submit.js';
import resultQps from '../fixtures/jimeng/get-result-50429.json' with { type: 'json' };
import done from '../fixtures/jimeng/get-result-done.json' with { type: 'json' };
import failed from '../fixtures/jimeng/get-result-failed-null-data.json' with { type: 'json' };
import generating from '../fixtures/jimeng/get-result-generating.json' with { type: 'json' };
import inQueue from '../fixtures/jimeng/get-result-in-queue.json' with { type: 'json' };
import submitQps from '../fixtures/jimeng/submit-50429.json' with { type: 'json' };
import submitOk from '../fixtures/jimeng/submit-ok.json' with { type: 'json' };
import { thrown } from '../helpers/jimeng-error.js';

interface Answer {
  httpStatus: number;
  body: object;
}
const submit = (a: Answer) => parseSubmitResponse(a.httpStatus, JSON.stringify(a.body));
const result = (a: Answer) => parseResultResponse(a.httpStatus, JSON.stringify(a.body));

describe('CVSync2AsyncSubmitTask answers (test/fixtures/jimeng)', () => {
  it('Submit OK: the task id and the request id', () => {
    expect(submit(submitOk)).toEqual({
      taskId: '7392616336519610409',
      requestId: '20250102030405C0A80101ABCDEF012345',
    });
  });

  it('50429 (HTTP 429, data: null): QPS_LIMIT, retryable, and certainly no task created', () => {
    const err = thrown(() => submit(submitQps));
    expect(err).toMatchObject({
      code: 'QPS_LIMIT',
      jimengCode: 50429,
      httpStatus: 429,
      retryable: true,
      maybeCreated: false,
      requestId: '20250102030406C0A80101ABCDEF012346',
    });
  });
});

describe('CVSync2AsyncGetResult answers (test/fixtures/jimeng)', () => {
  it('done with video_url', () => {
    expect(result(done)).toMatchObject({
      status: 'done',
      videoUrl: done.body.data.video_url,
      rawStatus: 'done',
      requestId: '20250102030505C0A80101ABCDEF012347',
    });
  });

  it('in_queue and generating: still running, no error', () => {
    expect(result(inQueue)).toEqual({
      status: 'in_queue',
      rawStatus: 'in_queue',
      requestId: '20250102030410C0A80101ABCDEF012348',
    });
    expect(result(generating)).toEqual({
      status: 'generating',
      rawStatus: 'generating',
      requestId: '20250102030430C0A80101ABCDEF012349',
    });
  });

  it('a failed task (50215, data: null) is a final result, not a failed call', () => {
    const r = result(failed);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'INVALID_INPUT', jimengCode: 50215, retryable: false });
  });

  it('50429 is about the call: thrown, retryable (poll again later)', () => {
    expect(thrown(() => result(resultQps))).toMatchObject({
      code: 'QPS_LIMIT',
      jimengCode: 50429,
      retryable: true,
    });
  });
});
