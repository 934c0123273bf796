/** Volcengine Jimeng (即梦) video API client: submit, poll, wait, check credentials. */
import type { Logger } from '../log.js';
import { isJimengError, JimengError } from './errors.js';
import { getModel, MODELS, type ModelInfo } from './models.js';
import {
  parseResultResponse,
  parseSubmitResponse,
  type SubmitAnswer,
  type TaskResult,
} from './parse-response.js';
import { RateBudget } from './rate-budget.js';
import { abortedError, sleep as realSleep, type Sleep, withRetry } from './retry.js';
import { sign } from './sign.js';
import { type ValidatedRequest, type VideoRequest, validateRequest } from './validate.js';

export const DEFAULT_ENDPOINT = 'https://visual.volcengineapi.com';
export const API_VERSION = '2022-08-31';
const SUBMIT = 'CVSync2AsyncSubmitTask';
const GET_RESULT = 'CVSync2AsyncGetResult';

export type FetchLike = typeof fetch;

export interface PollOptions {
  /** Delay before the first poll (generation takes a while). Default 10000. */
  firstMs?: number;
  /** Interval after the first poll; shrinks by `factor` each poll down to `minMs`. Default 8000. */
  intervalMs?: number;
  /** Default 0.75. */
  factor?: number;
  /** Default 3000. */
  minMs?: number;
}

export interface JimengClientOptions {
  accessKeyId: string;
  secretAccessKey: string;
  endpoint?: string;
  region?: string;
  service?: string;
  /** Account-wide HTTP calls per second (submit + get-result). Default 1. Ignored when `budget` is given. */
  qps?: number;
  /** Generation tasks in flight. Default 2. Ignored when `budget` is given. */
  maxConcurrent?: number;
  /** Share one budget between clients of the same account. */
  budget?: RateBudget;
  /** Retries of transient failures per call. Default 3. */
  retries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Per HTTP request. Default 30000. */
  timeoutMs?: number;
  poll?: PollOptions;
  fetch?: FetchLike;
  logger?: Logger;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
}

export type { SubmitAnswer, TaskResult, TaskStatus } from './parse-response.js';
export type { ImageInput, SubmitBody, ValidatedRequest, VideoRequest } from './validate.js';

export interface SubmitResult {
  taskId: string;
  reqKey: string;
  requestId?: string;
  /** Things accepted but ignored (Chinese). */
  warnings: string[];
}

export interface CallOptions {
  signal?: AbortSignal;
}

export type WaitProgress = TaskResult & { elapsedMs: number; polls: number; pollError?: JimengError };

export interface WaitOptions extends CallOptions {
  /** Overall limit. Default 20 minutes. */
  timeoutMs?: number;
  onProgress?: (r: WaitProgress) => void;
  poll?: PollOptions;
}

export type WaitResult = TaskResult & { elapsedMs: number; polls: number };

export interface GenerateResult extends SubmitResult {
  result: WaitResult;
}

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

const TERMINAL = new Set(['done', 'failed', 'not_found', 'expired']);

/** Connection errors that happen before a single byte of the request left: the service saw nothing. */
const PRE_SEND_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 5; depth++) {
    if (typeof cur === 'object') {
      const c = (cur as { code?: unknown }).code;
      if (typeof c === 'string') codes.push(c);
      const agg = (cur as { errors?: unknown }).errors;
      if (Array.isArray(agg)) for (const e of agg) codes.push(...errorCodes(e));
      cur = (cur as { cause?: unknown }).cause;
    } else break;
  }
  return codes;
}

/** Transport errors raised after the request may have reached the service. */
const AFTER_SEND = new WeakSet<JimengError>();

interface RawAnswer {
  status: number;
  text: string;
  requestId?: string;
}

export class JimengClient {
  readonly budget: RateBudget;
  readonly endpoint: string;
  private readonly opts: JimengClientOptions;
  private readonly fetchFn: FetchLike;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(opts: JimengClientOptions) {
    if (!opts.accessKeyId || !opts.secretAccessKey) {
      throw new JimengError({
        code: 'AUTH',
        message: 'accessKeyId and secretAccessKey are required',
        userMessage: '视频服务未配置密钥，请联系管理员。',
        audience: 'operator',
        retryable: false,
      });
    }
    this.opts = opts;
    this.endpoint = (opts.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.budget =
      opts.budget ??
      new RateBudget({
        qps: opts.qps ?? 1,
        maxConcurrent: opts.maxConcurrent ?? 2,
        now: opts.now,
        sleep: opts.sleep,
      });
  }

  listModels(): ModelInfo[] {
    return MODELS.map((m) => ({ ...m, durations: [...m.durations], ratios: [...m.ratios] }));
  }

  /** Checks a request and builds the body; throws a JimengError. No network. */
  validate(req: VideoRequest): ValidatedRequest {
    return validateRequest(req);
  }

  /**
   * Submits a generation task. Validates first (no network call on a bad request). Retries only when the
   * service certainly created nothing (QPS/concurrency answers, connection refused/DNS); otherwise a failure
   * that may have created a task is thrown with `maybeCreated: true`. Does not take a task slot: use
   * `budget.acquireTask()` around submit+wait, or `generate()`.
   */
  async submit(req: VideoRequest, opts: CallOptions = {}): Promise<SubmitResult> {
    const v = validateRequest(req);
    const answer = await withRetry<SubmitAnswer>(
      async () => {
        let raw: RawAnswer;
        try {
          raw = await this.call(SUBMIT, v.body, opts.signal);
        } catch (err) {
          throw this.submitFailure(err);
        }
        try {
          return parseSubmitResponse(raw.status, raw.text, raw.requestId);
        } catch (err) {
          throw this.submitFailure(err);
        }
      },
      {
        ...this.retryOpts(opts.signal),
        shouldRetry: (err) => {
          if (!isJimengError(err) || err.maybeCreated) return false;
          if (err.code === 'QPS_LIMIT') return true;
          if (err.code === 'CONCURRENCY_LIMIT') return 3;
          return err.code === 'NETWORK';
        },
      },
    );
    this.opts.logger?.info(
      { reqKey: v.model.reqKey, taskId: answer.taskId, requestId: answer.requestId },
      'jimeng submitted',
    );
    return {
      taskId: answer.taskId,
      reqKey: v.model.reqKey,
      requestId: answer.requestId,
      warnings: v.warnings,
    };
  }

  /** One poll. `reqKey` must be the key the task was submitted with. Retries every transient failure. */
  async getResult(taskId: string, reqKey: string, opts: CallOptions = {}): Promise<TaskResult> {
    this.checkTask(taskId, reqKey);
    return withRetry(
      async () => {
        const raw = await this.call(GET_RESULT, { req_key: reqKey, task_id: taskId }, opts.signal);
        return parseResultResponse(raw.status, raw.text, raw.requestId);
      },
      {
        ...this.retryOpts(opts.signal),
        shouldRetry: (err) => {
          if (!isJimengError(err) || !err.retryable || err.code === 'ABORTED') return false;
          return err.code === 'CONCURRENCY_LIMIT' ? 2 : true;
        },
      },
    );
  }

  /**
   * Polls until the task is done, failed, not found or expired: first after `poll.firstMs` (~10 s), then at
   * intervals shrinking to `poll.minMs` (~3 s). Transient poll failures are reported and polling goes on.
   * Throws TIMEOUT after `timeoutMs`, ABORTED when `signal` fires, and non-transient call errors (auth).
   */
  async wait(taskId: string, reqKey: string, opts: WaitOptions = {}): Promise<WaitResult> {
    this.checkTask(taskId, reqKey);
    const poll = { ...this.opts.poll, ...opts.poll };
    const firstMs = poll.firstMs ?? 10_000;
    const minMs = poll.minMs ?? 3000;
    const factor = poll.factor ?? 0.75;
    let interval = poll.intervalMs ?? 8000;
    const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
    const start = this.now();
    const deadline = start + timeoutMs;
    let delay = firstMs;
    let polls = 0;
    for (;;) {
      const remaining = deadline - this.now();
      if (remaining <= 0) throw this.waitTimeout(taskId, timeoutMs);
      await this.sleep(Math.min(delay, remaining), opts.signal);
      delay = Math.max(minMs, interval);
      interval = Math.max(minMs, interval * factor);
      if (opts.signal?.aborted) throw abortedError(opts.signal);
      let result: TaskResult;
      try {
        result = await this.getResult(taskId, reqKey, { signal: opts.signal });
      } catch (err) {
        if (isJimengError(err) && err.retryable && err.code !== 'ABORTED') {
          polls++;
          opts.onProgress?.({ status: 'in_queue', elapsedMs: this.now() - start, polls, pollError: err });
          continue;
        }
        throw err;
      }
      polls++;
      const elapsedMs = this.now() - start;
      opts.onProgress?.({ ...result, elapsedMs, polls });
      if (TERMINAL.has(result.status)) return { ...result, elapsedMs, polls };
    }
  }

  /** Takes a task slot, submits, waits, releases the slot. */
  async generate(
    req: VideoRequest,
    opts: WaitOptions & { onSubmitted?: (s: SubmitResult) => void } = {},
  ): Promise<GenerateResult> {
    validateRequest(req); // fail fast, before waiting for a slot
    return this.budget.withTask(async () => {
      const submitted = await this.submit(req, opts);
      opts.onSubmitted?.(submitted);
      const result = await this.wait(submitted.taskId, submitted.reqKey, opts);
      return { ...submitted, result };
    }, opts.signal);
  }

  /**
   * Checks credentials and connectivity with a get-result for a task that does not exist: a gateway 401
   * means bad AK/SK (or clock), any business answer means the signature was accepted.
   */
  async testConnection(opts: CallOptions = {}): Promise<ConnectionCheck> {
    const start = this.now();
    const done = (c: Omit<ConnectionCheck, 'endpoint' | 'latencyMs'>): ConnectionCheck => ({
      ...c,
      endpoint: this.endpoint,
      latencyMs: this.now() - start,
    });
    try {
      const raw = await this.call(GET_RESULT, { req_key: 'jimeng_t2v_v30', task_id: '0' }, opts.signal);
      try {
        const r = parseResultResponse(raw.status, raw.text, raw.requestId);
        return done({
          ok: true,
          verdict: 'ok',
          message: `连接正常，密钥有效（测试查询返回状态 ${r.rawStatus ?? r.status}）。`,
          requestId: r.requestId,
        });
      } catch (err) {
        if (!isJimengError(err)) throw err;
        return done(this.verdictFor(err));
      }
    } catch (err) {
      if (isJimengError(err)) return done(this.verdictFor(err));
      throw err;
    }
  }

  /** Downloads a finished video (the URL is valid for about an hour). Not signed, not rate-limited. */
  async download(url: string, opts: CallOptions = {}): Promise<Uint8Array> {
    let res: Response;
    try {
      res = await this.fetchFn(url, { signal: opts.signal });
    } catch (err) {
      if (opts.signal?.aborted) throw abortedError(opts.signal);
      throw this.downloadError(`download failed: ${(err as Error)?.message ?? String(err)}`, err);
    }
    if (!res.ok) throw this.downloadError(`download failed: HTTP ${res.status}`, undefined, res.status);
    return new Uint8Array(await res.arrayBuffer());
  }

  private verdictFor(err: JimengError): Omit<ConnectionCheck, 'endpoint' | 'latencyMs'> {
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
      return {
        ...base,
        ok: false,
        verdict: 'unreachable',
        message: `连不上 ${this.endpoint}：${err.message}`,
      };
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

  private checkTask(taskId: string, reqKey: string): void {
    if (!taskId || typeof taskId !== 'string') {
      throw new JimengError({
        code: 'INVALID_INPUT',
        message: 'taskId is required',
        userMessage: '缺少任务号。',
        audience: 'user',
        retryable: false,
      });
    }
    if (!getModel(reqKey)) {
      throw new JimengError({
        code: 'BAD_MODEL',
        message: `unknown req_key ${JSON.stringify(reqKey)} (must be the key the task was submitted with)`,
        userMessage: `不认识的模型「${reqKey}」，查询时必须用提交任务时的 req_key。`,
        audience: 'user',
        retryable: false,
      });
    }
  }

  private retryOpts(signal?: AbortSignal) {
    return {
      retries: this.opts.retries ?? 3,
      baseMs: this.opts.retryBaseMs ?? 1000,
      maxMs: this.opts.retryMaxMs ?? 20_000,
      random: this.opts.random,
      sleep: this.sleep,
      signal,
      onRetry: (err: unknown, attempt: number, delayMs: number) =>
        this.opts.logger?.warn(
          { code: isJimengError(err) ? err.code : undefined, attempt, delayMs },
          'jimeng call failed, retrying',
        ),
    };
  }

  /** A submit failure that might have created a task is marked maybeCreated (never retried). */
  private submitFailure(err: unknown): unknown {
    if (!isJimengError(err) || err.maybeCreated) return err;
    const uncertain =
      AFTER_SEND.has(err) ||
      (err.httpStatus !== undefined &&
        err.httpStatus >= 500 &&
        err.code !== 'QPS_LIMIT' &&
        err.code !== 'CONCURRENCY_LIMIT') ||
      err.code === 'INTERNAL' ||
      (err.code === 'BAD_RESPONSE' && (err.httpStatus ?? 0) < 400);
    if (!uncertain) return err;
    return err.with({
      maybeCreated: true,
      retryable: false,
      userMessage:
        '提交时网络或服务异常，任务可能已经创建，为避免重复扣费没有自动重试。请稍后查看结果或联系管理员。',
    });
  }

  private waitTimeout(taskId: string, timeoutMs: number): JimengError {
    return new JimengError({
      code: 'TIMEOUT',
      message: `task ${taskId} not finished after ${Math.round(timeoutMs / 1000)} s`,
      userMessage: '等待视频生成超时，任务可能还在排队，可以稍后用任务号查询。',
      audience: 'transient',
      retryable: true,
    });
  }

  private downloadError(message: string, cause?: unknown, httpStatus?: number): JimengError {
    return new JimengError({
      code: 'DOWNLOAD_FAILED',
      message,
      userMessage: '视频下载失败（链接可能已过期，有效期约 1 小时）。',
      audience: 'transient',
      retryable: true,
      httpStatus,
      cause,
    });
  }

  /** One signed POST through the rate budget. Network failures become NETWORK/TIMEOUT/ABORTED JimengErrors. */
  private async call(action: string, body: object, signal?: AbortSignal): Promise<RawAnswer> {
    await this.budget.takeCallSlot(signal);
    const url = new URL(`${this.endpoint}/`);
    const query = { Action: action, Version: API_VERSION };
    url.searchParams.set('Action', action);
    url.searchParams.set('Version', API_VERSION);
    const text = JSON.stringify(body);
    const signed = sign({
      method: 'POST',
      host: url.host,
      path: url.pathname,
      query,
      body: text,
      accessKeyId: this.opts.accessKeyId,
      secretAccessKey: this.opts.secretAccessKey,
      region: this.opts.region,
      service: this.opts.service,
      date: new Date(this.now()),
    });
    const { Host: _host, ...headers } = signed;
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = this.now();
    try {
      const res = await this.fetchFn(url, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: text,
        signal: controller.signal,
      });
      const answer = await res.text();
      const requestId = res.headers.get('x-tt-logid') ?? res.headers.get('x-request-id') ?? undefined;
      this.opts.logger?.debug(
        { action, httpStatus: res.status, ms: this.now() - started, requestId },
        'jimeng call',
      );
      return { status: res.status, text: answer, requestId };
    } catch (err) {
      if (timedOut) {
        const timeout = new JimengError({
          code: 'TIMEOUT',
          message: `${action}: no answer within ${timeoutMs} ms`,
          userMessage: '即梦服务响应超时，请稍后再试。',
          audience: 'transient',
          retryable: true,
          cause: err,
        });
        AFTER_SEND.add(timeout);
        throw timeout;
      }
      if (signal?.aborted) {
        const aborted = abortedError(signal);
        AFTER_SEND.add(aborted);
        throw aborted;
      }
      const codes = errorCodes(err);
      const message =
        err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
      const netErr = new JimengError({
        code: 'NETWORK',
        message: `${action}: network error ${codes.join('/')} ${message}`.replace(/\s+/g, ' ').trim(),
        userMessage: '连不上即梦服务，请稍后再试。',
        audience: 'transient',
        retryable: true,
        cause: err,
      });
      // Refused/DNS failures happen before the request is sent; anything else may have reached the service.
      if (!codes.some((c) => PRE_SEND_CODES.has(c))) AFTER_SEND.add(netErr);
      throw netErr;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
