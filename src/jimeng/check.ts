/** Credentials and connectivity check: a get-result for a task that does not exist. */
import { type CallOptions, type ClientContext, GET_RESULT_ACTION } from './client-options.js';
import { isJimengError, type JimengError } from './errors.js';
import { parseResultResponse } from './parse-result.js';
import { signedCall } from './signed-call.js';

export type ConnectionVerdict = 'ok' | 'bad_credentials' | 'access_denied' | 'unreachable' | 'unexpected';

export interface ConnectionCheck {
  ok: boolean;
  verdict: ConnectionVerdict;
  /** Chinese, one line. */
  message: string;
  endpoint: string;
  latencyMs: number;
  requestId?: string;
  error?: JimengError;
}

type Verdict = Omit<ConnectionCheck, 'endpoint' | 'latencyMs'>;

function verdictFor(err: JimengError, endpoint: string): Verdict {
  const base = { requestId: err.requestId, error: err };
  if (err.code === 'SIGNATURE' || err.code === 'AUTH') {
    return {
      ...base,
      ok: false,
      verdict: 'bad_credentials',
      message: `密钥无效或签名不匹配（${err.gatewayCode ?? err.code}）：请检查 VOLC_ACCESSKEY / VOLC_SECRETKEY 和服务器时间。`,
    };
  }
  if (err.code === 'ACCESS_DENIED') {
    return {
      ...base,
      ok: false,
      verdict: 'access_denied',
      message: '密钥有效，但账号没有开通即梦视频服务（50400）：请在火山引擎控制台开通。',
    };
  }
  if (err.code === 'NETWORK' || err.code === 'TIMEOUT') {
    return { ...base, ok: false, verdict: 'unreachable', message: `连不上 ${endpoint}：${err.message}` };
  }
  if (err.jimengCode !== undefined && err.httpStatus !== undefined && !err.gatewayCode) {
    // A business-level answer (e.g. 50215 for the bogus task, or 50429): the signature was accepted.
    return {
      ...base,
      ok: true,
      verdict: 'ok',
      message: `连接正常，密钥有效（测试查询返回 ${err.jimengCode}）。`,
    };
  }
  return { ...base, ok: false, verdict: 'unexpected', message: `无法确认连接状态：${err.message}` };
}

/** A gateway 401 means bad AK/SK (or clock); any business answer means the signature was accepted. */
export async function testConnection(ctx: ClientContext, opts: CallOptions = {}): Promise<ConnectionCheck> {
  const start = ctx.now();
  const done = (c: Verdict): ConnectionCheck => ({
    ...c,
    endpoint: ctx.endpoint,
    latencyMs: ctx.now() - start,
  });
  try {
    const raw = await signedCall(
      ctx,
      GET_RESULT_ACTION,
      { req_key: 'jimeng_t2v_v30', task_id: '0' },
      opts.signal,
    );
    const r = parseResultResponse(raw.status, raw.text, raw.requestId);
    if (r.status === 'failed' && r.error) return done(verdictFor(r.error, ctx.endpoint));
    return done({
      ok: true,
      verdict: 'ok',
      message: `连接正常，密钥有效（测试查询返回状态 ${r.rawStatus ?? r.status}）。`,
      requestId: r.requestId,
    });
  } catch (err) {
    if (isJimengError(err)) return done(verdictFor(err, ctx.endpoint));
    throw err;
  }
}
