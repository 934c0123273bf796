/**
 * Account check: is the key pair good, is the service reachable, and which models may this account use?
 * Each probe is a get-result for a task that does not exist, under one req_key: a gateway 401 means bad
 * AK/SK (or clock); 50400 means the account has no access to that model; any other business answer
 * (not_found, 50215, …) means the call was signed right and the model was not refused. Probes go through the
 * rate budget like every call. Codes only: callers word the verdict.
 */
import type { CallOptions, ClientContext } from './client-options.js';
import { isJimengError, type JimengError, type JimengErrorCode } from './errors.js';
import { getTaskResult } from './get-result.js';

export type AccountVerdict = 'ok' | 'bad_credentials' | 'access_denied' | 'unreachable' | 'unexpected';
/** usable: the service answered without refusing the model; denied: 50400; unknown: no answer (throttled, 5xx). */
export type ModelAccess = 'usable' | 'denied' | 'unknown';

export interface ModelProbe {
  reqKey: string;
  access: ModelAccess;
  /** The answer's error code, if any (ACCESS_DENIED, INVALID_INPUT, QPS_LIMIT, …). */
  code?: JimengErrorCode;
  jimengCode?: number;
  requestId?: string;
}

export interface AccountCheck {
  /** The account's label (masked access key unless the client was given one). */
  account: string;
  endpoint: string;
  verdict: AccountVerdict;
  ok: boolean;
  /** The req_key the verdict is about. */
  defaultModel: string;
  /** The default model first, then the catalog's order. */
  models: ModelProbe[];
  usable: string[];
  latencyMs: number;
  /** What made the verdict other than ok. */
  error?: JimengError;
}

export interface CheckOptions extends CallOptions {
  /** The default model: a tier or req_key. Default '720p'. Its text model is probed for a tier. */
  model?: string;
  /** Probe every model of the catalog too (one call each). Default true. */
  all?: boolean;
}

/** The task id probes ask about: no task has it. */
export const PROBE_TASK_ID = '0';

const ACCOUNT_WIDE = new Set<JimengErrorCode>([
  'SIGNATURE',
  'AUTH',
  'NETWORK',
  'TIMEOUT',
  'ABORTED',
  'BAD_REQUEST',
]);

/** `AKLTxxxx…abcd`: enough to tell accounts apart in a table. */
export function maskAccessKey(ak: string): string {
  return ak.length <= 8 ? `${ak.slice(0, 2)}…` : `${ak.slice(0, 4)}…${ak.slice(-4)}`;
}

async function probe(
  ctx: ClientContext,
  reqKey: string,
  signal?: AbortSignal,
): Promise<ModelProbe & { error?: JimengError }> {
  try {
    const r = await getTaskResult(ctx, PROBE_TASK_ID, reqKey, { signal });
    const e = r.error;
    const denied = r.status === 'failed' && e?.code === 'ACCESS_DENIED';
    return {
      reqKey,
      access: denied ? 'denied' : 'usable',
      ...(e ? { code: e.code, jimengCode: e.jimengCode } : {}),
      requestId: r.requestId ?? e?.requestId,
      ...(denied ? { error: e } : {}),
    };
  } catch (err) {
    if (!isJimengError(err)) throw err;
    const denied = err.code === 'ACCESS_DENIED';
    return {
      reqKey,
      access: denied ? 'denied' : 'unknown',
      code: err.code,
      jimengCode: err.jimengCode,
      requestId: err.requestId,
      error: err,
    };
  }
}

function verdictOf(p: ModelProbe & { error?: JimengError }): AccountVerdict {
  if (p.access === 'usable') return 'ok';
  if (p.access === 'denied') return 'access_denied';
  if (p.code === 'SIGNATURE' || p.code === 'AUTH') return 'bad_credentials';
  if (p.code === 'NETWORK' || p.code === 'TIMEOUT') return 'unreachable';
  return 'unexpected';
}

export async function checkAccount(
  ctx: ClientContext,
  account: string,
  opts: CheckOptions = {},
): Promise<AccountCheck> {
  const start = ctx.now();
  const name = opts.model ?? '720p';
  const defaultModel = ctx.catalog.get(name)?.reqKey ?? ctx.catalog.resolve(name, 'text').reqKey;
  const first = await probe(ctx, defaultModel, opts.signal);
  const probes = [first];
  if ((opts.all ?? true) && !(first.code && ACCOUNT_WIDE.has(first.code))) {
    for (const m of ctx.catalog.list()) {
      if (m.reqKey !== defaultModel) probes.push(await probe(ctx, m.reqKey, opts.signal));
    }
  }
  const verdict = verdictOf(first);
  return {
    account,
    endpoint: ctx.endpoint,
    verdict,
    ok: verdict === 'ok',
    defaultModel,
    models: probes.map(({ error: _e, ...p }) => p),
    usable: probes.filter((p) => p.access === 'usable').map((p) => p.reqKey),
    latencyMs: ctx.now() - start,
    ...(first.error && verdict !== 'ok' ? { error: first.error } : {}),
  };
}
