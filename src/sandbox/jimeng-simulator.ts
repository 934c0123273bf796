/**
 * Jimeng (即梦) API simulator: a small real HTTP server (node:http) speaking the documented Volcengine API
 * (`POST /?Action=CVSync2AsyncSubmitTask|CVSync2AsyncGetResult&Version=2022-08-31`), for tests, the CLI,
 * benchmarks and the local sandbox.
 *
 * What it does like the real service
 * - Gateway: HMAC-SHA256 signature recomputed with src/jimeng/sign.ts over the received method, Host header,
 *   query, the headers named in SignedHeaders, the raw body bytes and X-Date; compared timing-safely.
 *   Errors in the `ResponseMetadata.Error` shape: missing Authorization → 401 MissingAuthenticationToken
 *   (100003); unparsable Authorization → 401 InvalidAuthorization (100024); unknown AK → 401 InvalidAccessKey
 *   (100009); bad signature, X-Content-Sha256 ≠ sha256(body), credential scope ≠ X-Date/cn-north-1/cv →
 *   401 SignatureDoesNotMatch (100010); X-Date missing, malformed or more than 15 min from now → 401
 *   InvalidTimestamp (100006; the public table lists HTTP 400 for it, we answer 401 like other auth faults);
 *   unknown Action/Version or non-POST → 404 InvalidActionOrVersion (100008); Action/Version missing →
 *   400 MissingParameter (100002); body over 20 MB → 413.
 * - Business answers `{code, data, message, request_id, status, time_elapsed}`: 10000 Success; 50215 (HTTP 400)
 *   for every invalid body (see sim-validate.ts; the reason is in the `X-Sim-Reason` response header only).
 * - Tasks walk in_queue (first 20% of `generationMs`) → generating → done; `expired` after `taskExpiryMs`;
 *   unknown ids → code 10000 with data.status `not_found`. Get-result with a req_key other than the one the
 *   task was submitted with → 50215 (the docs say it must match; we treat it as invalid input, not not_found).
 * - done → `data: { status: 'done', video_url: '<url>/videos/<id>.mp4?X-Expires=3600', aigc_meta_tagged, seed }`;
 *   the MP4 (a real 2 s H.264 clip) is served there until `videoTtlMs` after the task finished (then 403).
 * - Limits per AK: `qps` (requests per second over both actions, sliding 1 s window; only accepted calls count)
 *   → 429 code 50429; `maxConcurrentTasks` (submitted tasks not yet done) → 429 code 50430 on submit.
 *
 * Fault injection (`sim.faults`, mutable; `sim.inject(...kinds)` appends to `faults.next`)
 * - `faults.next`: a queue of one-shot faults. A call takes the first entry that applies to it (a submit: the
 *   head; a get-result: the first any-action kind); a submit-only entry at the head waits, untaken, while
 *   submits are invalid (50215). One fault per call.
 *   - any action: 'qps' → 429 50429; '500' → 500 50500 "Internal Error"; 'slow' → the call is handled at once
 *     (a submit creates its task) but answered after `faults.slowMs`; 'hang' → never answered (the call is not
 *     handled, no task) until close().
 *   - submit only: 'concurrency' → 429 50430; 'risk_text' → 400 50412 "Pre Text Risk Not Pass";
 *     'risk_image' → 400 50411 "Pre Img Risk Not Pass" (consumed by the next *valid* submit);
 *     'fail' / 'risk_output' are attached to the next task created: its get-result, once done, answers
 *     code 50500 "Internal Error" (HTTP 200) / code 50511 "Post Img Risk Not Pass" (HTTP 400), with
 *     `data: { status: 'done' }` (or `data: null` when `faults.nullDataOnFailure`).
 * - `faults.failNextTasks = n`: the next n tasks fail at generation ('fail'); `faults.failEveryNth = n`: every
 *   n-th created task fails.
 * - Prompt triggers (when `faults.promptTriggers`, default on; upper case): "RISK_OUTPUT" → output risk at
 *   generation; "RISK_IMAGE" → 50411 at submit; "RISK" → 50412 at submit; "FAIL" → generation fails;
 *   "SLOW" → submit answered after slowMs.
 *
 * Records: `calls` (every answered API call: action, taskId, code, httpStatus, at) and `stats` counters.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sign } from '../jimeng/sign.js';
import { type Logger, silentLogger } from '../log.js';
import { SIM_MODEL_RULES, validateGetResultBody, validateSubmitBody } from './sim-validate.js';

export const SUBMIT_ACTION = 'CVSync2AsyncSubmitTask';
export const GET_RESULT_ACTION = 'CVSync2AsyncGetResult';
export const API_VERSION = '2022-08-31';

export type FaultKind =
  | 'qps'
  | 'concurrency'
  | 'risk_text'
  | 'risk_image'
  | 'risk_output'
  | 'fail'
  | '500'
  | 'slow'
  | 'hang';

export interface FaultPlan {
  /** One-shot faults for the next calls (see the file header for which call consumes which kind). */
  next: FaultKind[];
  /** The next n created tasks fail at generation. */
  failNextTasks: number;
  /** Every n-th created task fails at generation (0 = off). */
  failEveryNth: number;
  /** Delay for 'slow' (ms). */
  slowMs: number;
  /** Honour the upper-case prompt triggers RISK, RISK_IMAGE, RISK_OUTPUT, FAIL, SLOW. */
  promptTriggers: boolean;
  /** Failed generations answer `data: null` instead of `data: { status: 'done' }`. */
  nullDataOnFailure: boolean;
}

export type SimTaskOutcome = 'ok' | 'fail' | 'risk_output';
export type SimTaskStatus = 'in_queue' | 'generating' | 'done' | 'expired';

export interface SimTask {
  id: string;
  reqKey: string;
  accessKeyId: string;
  /** The parsed JSON body exactly as received. */
  body: Record<string, unknown>;
  prompt: string;
  frames: 121 | 241;
  /** The seed asked for (-1 = random). */
  requestedSeed: number;
  /** The seed used (random when -1 was asked for); returned in the done answer. */
  seed: number;
  aspectRatio?: string;
  /** Decoded binary_data_base64 images. */
  images: Buffer[];
  imageUrls: string[];
  createdAt: number;
  /** Generation time for this task (ms); setGenerationMs() updates unfinished tasks too. */
  generationMs: number;
  /** Set when a poll first sees the task done; from then on it stays done. */
  doneAt?: number;
  outcome: SimTaskOutcome;
  /** The fault that decided the outcome, if any. */
  fault?: 'fail' | 'risk_output';
  polls: number;
}

export interface SimCall {
  action: string;
  taskId?: string;
  /** Business code (10000, 50215…) or gateway error code string (SignatureDoesNotMatch…). */
  code: number | string;
  httpStatus: number;
  at: number;
}

export interface SimStats {
  submits: number;
  polls: number;
  /** 50429 answers (real limit and injected). */
  qpsLimited: number;
  /** 50430 answers. */
  concurrencyLimited: number;
  authFailures: number;
  invalid: number;
}

export interface JimengSimulatorOptions {
  port?: number;
  host?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** More AK → SK pairs accepted besides the main one. */
  extraCredentials?: Record<string, string>;
  /** Time from submit to done (ms). Default 3000. */
  generationMs?: number;
  /** Requests per second per AK over both actions; 0 = unlimited (default). */
  qps?: number;
  /** Unfinished tasks per AK; 0 = unlimited (default). */
  maxConcurrentTasks?: number;
  /** Tasks older than this answer `expired`. Default 12 h. */
  taskExpiryMs?: number;
  /** How long the video URL works after the task finished. Default 1 h. */
  videoTtlMs?: number;
  /** Allowed |X-Date − now|. Default 15 min. */
  maxClockSkewMs?: number;
  /** Base URL written into video_url (default: the simulator's own url). */
  publicUrl?: string;
  /** The MP4 served for every finished task (default: src/sandbox/assets/sample.mp4). */
  videoPath?: string;
  faults?: Partial<FaultPlan>;
  logger?: Logger;
}

export interface SimLimits {
  qps?: number;
  maxConcurrentTasks?: number;
}

export interface JimengSimulator {
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultPlan;
  readonly tasks: Map<string, SimTask>;
  readonly calls: SimCall[];
  readonly stats: SimStats;
  /** Appends one-shot faults to `faults.next`. */
  inject(...kinds: FaultKind[]): void;
  /** New generation time for new and unfinished tasks. */
  setGenerationMs(ms: number): void;
  setLimits(limits: SimLimits): void;
  /** Current status of a task (advances it like a poll would, without counting a poll). */
  statusOf(taskId: string): SimTaskStatus | 'not_found';
  /** Clears tasks, calls, stats, rate windows; faults, limits and generation time back to the options. */
  reset(): void;
  /** Stops listening and destroys every open socket (hung calls included). */
  close(): Promise<void>;
}

const REGION = 'cn-north-1';
const SERVICE = 'cv';
const MAX_BODY = 20 * 1024 * 1024;

const defaultFaults = (): FaultPlan => ({
  next: [],
  failNextTasks: 0,
  failEveryNth: 0,
  slowMs: 2000,
  promptTriggers: true,
  nullDataOnFailure: false,
});

const ANY_ACTION_FAULTS: ReadonlySet<FaultKind> = new Set(['qps', '500', 'slow', 'hang']);

/** Where the sample clip lives: next to this module (src via tsx, or dist if assets are copied), else src. */
async function loadVideo(videoPath?: string): Promise<Buffer> {
  const candidates = videoPath
    ? [videoPath]
    : [
        fileURLToPath(new URL('./assets/sample.mp4', import.meta.url)),
        fileURLToPath(new URL('../../src/sandbox/assets/sample.mp4', import.meta.url)),
      ];
  for (const p of candidates) {
    try {
      return await readFile(p);
    } catch {
      // try the next one
    }
  }
  throw new Error(`jimeng simulator: sample video not found (looked in ${candidates.join(', ')})`);
}

function requestId(): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return stamp + randomBytes(10).toString('hex').toUpperCase();
}

function newTaskId(): string {
  let id = '7';
  for (let i = 0; i < 18; i++) id += String(randomInt(10));
  return id;
}

function parseXDate(v: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? null : d;
}

const AUTH_RE =
  /^HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/request,\s*SignedHeaders=([a-z0-9\-;]+),\s*Signature=([0-9a-f]{64})$/;

interface GatewayError {
  status: number;
  code: string;
  codeN: number;
  message: string;
}

const gw = (status: number, code: string, codeN: number, message: string): GatewayError => ({
  status,
  code,
  codeN,
  message,
});

const MSG = {
  10000: 'Success',
  50215: 'Input invalid for this service.',
  50411: 'Pre Img Risk Not Pass',
  50412: 'Pre Text Risk Not Pass',
  50429: 'Request Has Reached API Limit, Please Try Later',
  50430: 'Request Has Reached API Concurrent Limit, Please Try Later',
  50500: 'Internal Error',
  50511: 'Post Img Risk Not Pass',
} as const;
type BizCode = keyof typeof MSG;

export async function startJimengSimulator(opts: JimengSimulatorOptions): Promise<JimengSimulator> {
  const logger = opts.logger ?? silentLogger;
  const host = opts.host ?? '127.0.0.1';
  const credentials = new Map<string, string>(Object.entries(opts.extraCredentials ?? {}));
  credentials.set(opts.accessKeyId, opts.secretAccessKey);
  const taskExpiryMs = opts.taskExpiryMs ?? 12 * 3600_000;
  const videoTtlMs = opts.videoTtlMs ?? 3600_000;
  const maxSkewMs = opts.maxClockSkewMs ?? 15 * 60_000;
  const video = await loadVideo(opts.videoPath);

  let generationMs = opts.generationMs ?? 3000;
  let qps = opts.qps ?? 0;
  let maxConcurrentTasks = opts.maxConcurrentTasks ?? 0;
  const faults: FaultPlan = { ...defaultFaults(), ...opts.faults, next: [...(opts.faults?.next ?? [])] };
  const tasks = new Map<string, SimTask>();
  const calls: SimCall[] = [];
  const stats: SimStats = {
    submits: 0,
    polls: 0,
    qpsLimited: 0,
    concurrencyLimited: 0,
    authFailures: 0,
    invalid: 0,
  };
  const windows = new Map<string, number[]>(); // AK → times of accepted calls in the last second
  let createdCount = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';

  function takeFault(pred: (k: FaultKind) => boolean): FaultKind | undefined {
    const i = faults.next.findIndex(pred);
    if (i < 0) return undefined;
    return faults.next.splice(i, 1)[0];
  }

  function statusOf(task: SimTask, now = Date.now()): SimTaskStatus {
    if (now - task.createdAt > taskExpiryMs) return 'expired';
    if (task.doneAt !== undefined) return 'done';
    const elapsed = now - task.createdAt;
    if (elapsed >= task.generationMs) {
      task.doneAt = task.createdAt + task.generationMs;
      return 'done';
    }
    return elapsed < task.generationMs * 0.2 ? 'in_queue' : 'generating';
  }

  function unfinishedTasks(ak: string): number {
    let n = 0;
    const now = Date.now();
    for (const t of tasks.values()) {
      if (t.accessKeyId !== ak) continue;
      const s = statusOf(t, now);
      if (s === 'in_queue' || s === 'generating') n++;
    }
    return n;
  }

  /** True if the call fits in this AK's QPS budget (and counts it). */
  function admit(ak: string): boolean {
    if (qps <= 0) return true;
    const now = Date.now();
    const w = (windows.get(ak) ?? []).filter((t) => now - t < 1000);
    windows.set(ak, w);
    if (w.length >= qps) return false;
    w.push(now);
    return true;
  }

  interface Ctx {
    req: IncomingMessage;
    res: ServerResponse;
    started: number;
    action: string;
    requestId: string;
    taskId?: string;
    delayMs: number;
  }

  function record(ctx: Ctx, code: number | string, httpStatus: number) {
    const call: SimCall = { action: ctx.action, code, httpStatus, at: Date.now() };
    if (ctx.taskId !== undefined) call.taskId = ctx.taskId;
    calls.push(call);
  }

  function write(ctx: Ctx, status: number, payload: unknown, headers: Record<string, string> = {}) {
    let timer: NodeJS.Timeout | undefined;
    const send = () => {
      if (timer) timers.delete(timer);
      if (ctx.res.destroyed || ctx.res.headersSent) return;
      const text = JSON.stringify(payload);
      ctx.res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
        'x-tt-logid': ctx.requestId,
        ...headers,
      });
      ctx.res.end(text);
    };
    if (ctx.delayMs <= 0) return send();
    timer = setTimeout(send, ctx.delayMs);
    timers.add(timer);
  }

  function sendGateway(ctx: Ctx, e: GatewayError) {
    record(ctx, e.code, e.status);
    if (e.status === 401) stats.authFailures++;
    logger.debug({ action: ctx.action, code: e.code }, 'jimeng-sim gateway error');
    write(ctx, e.status, {
      ResponseMetadata: {
        RequestId: ctx.requestId,
        Action: ctx.action,
        Version: API_VERSION,
        Service: SERVICE,
        Region: REGION,
        Error: { CodeN: e.codeN, Code: e.code, Message: e.message },
      },
    });
  }

  function sendBiz(ctx: Ctx, httpStatus: number, code: BizCode, data: unknown, reason?: string) {
    record(ctx, code, httpStatus);
    if (code === 50429) stats.qpsLimited++;
    if (code === 50430) stats.concurrencyLimited++;
    if (code === 50215) stats.invalid++;
    if (code !== 10000) logger.debug({ action: ctx.action, code, reason }, 'jimeng-sim business error');
    const elapsed = `${(performance.now() - ctx.started).toFixed(2)}ms`;
    write(
      ctx,
      httpStatus,
      { code, data, message: MSG[code], request_id: ctx.requestId, status: code, time_elapsed: elapsed },
      reason ? { 'x-sim-reason': encodeURIComponent(reason) } : {},
    );
  }

  /** Checks the signature; returns the AK or a gateway error. */
  function authenticate(
    req: IncomingMessage,
    query: Record<string, string>,
    body: Buffer,
  ): string | GatewayError {
    const auth = req.headers.authorization;
    if (!auth)
      return gw(401, 'MissingAuthenticationToken', 100003, 'Request is missing Authentication Token.');
    const m = AUTH_RE.exec(auth.trim());
    if (!m) {
      return gw(
        401,
        'InvalidAuthorization',
        100024,
        "Invalid 'Authorization' header, Pls check your authorization header.",
      );
    }
    const [, ak, scopeDate, region, service, signedList, signature] = m as unknown as string[];
    const secret = credentials.get(ak!);
    if (secret === undefined) {
      return gw(401, 'InvalidAccessKey', 100009, `The accesskey [${ak}] included in the request is invalid.`);
    }
    const xDateHeader = req.headers['x-date'];
    const date = typeof xDateHeader === 'string' ? parseXDate(xDateHeader) : null;
    if (!date || Math.abs(Date.now() - date.getTime()) > maxSkewMs) {
      return gw(401, 'InvalidTimestamp', 100006, 'The signature of the request is expired.');
    }
    const mismatch = gw(
      401,
      'SignatureDoesNotMatch',
      100010,
      'The request signature we calculated does not match the signature you provided.',
    );
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const names = signedList!.split(';');
    if (
      scopeDate !== xDateHeader!.slice(0, 8) ||
      region !== REGION ||
      service !== SERVICE ||
      !names.includes('host') ||
      !names.includes('x-date') ||
      !names.includes('x-content-sha256') ||
      req.headers['x-content-sha256'] !== bodyHash ||
      [...names].sort().join(';') !== signedList
    ) {
      return mismatch;
    }
    const extra: Record<string, string> = {};
    for (const name of names) {
      if (name === 'host' || name === 'x-date' || name === 'x-content-sha256') continue;
      const v = req.headers[name];
      if (typeof v !== 'string') return mismatch;
      extra[name] = v;
    }
    const expected = sign({
      method: req.method ?? 'POST',
      host: req.headers.host ?? '',
      path: new URL(req.url ?? '/', 'http://x').pathname,
      query,
      body,
      accessKeyId: ak!,
      secretAccessKey: secret,
      region: REGION,
      service: SERVICE,
      date,
      headers: extra,
    });
    const got = /Signature=([0-9a-f]{64})$/.exec(expected.Authorization)?.[1] ?? '';
    const a = Buffer.from(got, 'hex');
    const b = Buffer.from(signature!, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return mismatch;
    return ak!;
  }

  function handleSubmit(ctx: Ctx, ak: string, json: unknown, mayTakeFault: boolean) {
    stats.submits++;
    const v = validateSubmitBody(json);
    if (!v.ok) return sendBiz(ctx, 400, 50215, null, v.reason);
    const body = v.value;
    const trig = faults.promptTriggers ? body.prompt : '';
    // When no any-action fault was taken for this call, the head of the queue is a submit-only one (or none).
    const injected = mayTakeFault ? takeFault(() => true) : undefined;
    if (injected === 'concurrency') return sendBiz(ctx, 429, 50430, null, 'injected');
    if (maxConcurrentTasks > 0 && unfinishedTasks(ak) >= maxConcurrentTasks) {
      return sendBiz(ctx, 429, 50430, null, 'too many unfinished tasks');
    }
    if (injected === 'risk_image' || trig.includes('RISK_IMAGE'))
      return sendBiz(ctx, 400, 50411, null, 'risk');
    if (injected === 'risk_text' || (trig.includes('RISK') && !trig.includes('RISK_OUTPUT'))) {
      return sendBiz(ctx, 400, 50412, null, 'risk');
    }
    if (trig.includes('SLOW')) ctx.delayMs = Math.max(ctx.delayMs, faults.slowMs);

    createdCount++;
    let fault: SimTask['fault'];
    if (injected === 'risk_output' || trig.includes('RISK_OUTPUT')) fault = 'risk_output';
    else if (injected === 'fail' || trig.includes('FAIL')) fault = 'fail';
    else if (faults.failNextTasks > 0) {
      faults.failNextTasks--;
      fault = 'fail';
    } else if (faults.failEveryNth > 0 && createdCount % faults.failEveryNth === 0) fault = 'fail';

    let id = newTaskId();
    while (tasks.has(id)) id = newTaskId();
    const task: SimTask = {
      id,
      reqKey: body.reqKey,
      accessKeyId: ak,
      body: json as Record<string, unknown>,
      prompt: body.prompt,
      frames: body.frames,
      requestedSeed: body.seed,
      seed: body.seed === -1 ? randomInt(2 ** 31 - 1) : body.seed,
      images: body.images,
      imageUrls: body.imageUrls,
      createdAt: Date.now(),
      generationMs,
      outcome: fault ?? 'ok',
      polls: 0,
    };
    if (body.aspectRatio !== undefined) task.aspectRatio = body.aspectRatio;
    if (fault) task.fault = fault;
    tasks.set(id, task);
    ctx.taskId = id;
    logger.debug({ taskId: id, reqKey: body.reqKey, fault }, 'jimeng-sim task created');
    sendBiz(ctx, 200, 10000, { task_id: id });
  }

  function handleGetResult(ctx: Ctx, json: unknown) {
    stats.polls++;
    const v = validateGetResultBody(json);
    if (!v.ok) return sendBiz(ctx, 400, 50215, null, v.reason);
    ctx.taskId = v.value.taskId;
    const task = tasks.get(v.value.taskId);
    if (!task) return sendBiz(ctx, 200, 10000, { status: 'not_found', video_url: '' });
    // The docs require the submit's req_key; a mismatch is invalid input (not not_found).
    if (task.reqKey !== v.value.reqKey)
      return sendBiz(ctx, 400, 50215, null, 'req_key does not match the task');
    task.polls++;
    const status = statusOf(task);
    if (status !== 'done') return sendBiz(ctx, 200, 10000, { status, video_url: '' });
    if (task.outcome === 'fail') {
      return sendBiz(ctx, 200, 50500, faults.nullDataOnFailure ? null : { status: 'done', video_url: '' });
    }
    if (task.outcome === 'risk_output') {
      return sendBiz(ctx, 400, 50511, faults.nullDataOnFailure ? null : { status: 'done', video_url: '' });
    }
    const base = opts.publicUrl?.replace(/\/+$/, '') ?? baseUrl;
    sendBiz(ctx, 200, 10000, {
      status: 'done',
      video_url: `${base}/videos/${task.id}.mp4?X-Expires=${Math.round(videoTtlMs / 1000)}`,
      aigc_meta_tagged: true,
      seed: task.seed,
    });
  }

  function serveVideo(req: IncomingMessage, res: ServerResponse, taskId: string) {
    const task = tasks.get(taskId);
    const status = task ? statusOf(task) : 'not_found';
    if (!task || status !== 'done' || task.outcome !== 'ok') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    if (Date.now() - (task.doneAt ?? task.createdAt) > videoTtlMs) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Request has expired');
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'video/mp4', 'accept-ranges': 'bytes' };
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = video.length - 1;
    let code = 200;
    if (range && (range[1] || range[2])) {
      if (range[1]) {
        start = Number(range[1]);
        if (range[2]) end = Math.min(Number(range[2]), end);
      } else {
        start = Math.max(0, video.length - Number(range[2]));
      }
      if (start > end) {
        res.writeHead(416, { 'content-range': `bytes */${video.length}` }).end();
        return;
      }
      code = 206;
      headers['content-range'] = `bytes ${start}-${end}/${video.length}`;
    }
    headers['content-length'] = String(end - start + 1);
    res.writeHead(code, headers);
    res.end(req.method === 'HEAD' ? undefined : video.subarray(start, end + 1));
  }

  /** The raw body, or null if over MAX_BODY (the rest is drained so an answer can still be sent). */
  function readBody(req: IncomingMessage): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const videoMatch = /^\/videos\/(\d+)\.mp4$/.exec(url.pathname);
    if (videoMatch && (req.method === 'GET' || req.method === 'HEAD'))
      return serveVideo(req, res, videoMatch[1]!);
    if (url.pathname === '/healthz' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }

    const query: Record<string, string> = {};
    for (const [k, val] of url.searchParams) query[k] = val;
    const action = query.Action ?? '';
    const ctx: Ctx = { req, res, started: performance.now(), action, requestId: requestId(), delayMs: 0 };
    const body = await readBody(req);
    if (body === null) {
      // CodeN for this one is not in the public table; 100015 is a placeholder.
      return sendGateway(ctx, gw(413, 'RequestEntityTooLarge', 100015, 'Request entity too large.'));
    }
    if (!query.Action || !query.Version) {
      const missing = query.Action ? 'Version' : 'Action';
      return sendGateway(
        ctx,
        gw(400, 'MissingParameter', 100002, `The request is missing ${missing} parameter.`),
      );
    }
    if (
      url.pathname !== '/' ||
      req.method !== 'POST' ||
      query.Version !== API_VERSION ||
      (action !== SUBMIT_ACTION && action !== GET_RESULT_ACTION)
    ) {
      return sendGateway(
        ctx,
        gw(
          404,
          'InvalidActionOrVersion',
          100008,
          `Could not find operation ${action} for version ${query.Version}.`,
        ),
      );
    }
    const auth = authenticate(req, query, body);
    if (typeof auth !== 'string') return sendGateway(ctx, auth);
    const ak = auth;

    // One-shot faults: the first entry that applies to this action; any-action kinds are taken here,
    // submit-only kinds are left in place for handleSubmit, which takes them once the body is valid.
    const head = faults.next.find((k) => action === SUBMIT_ACTION || ANY_ACTION_FAULTS.has(k));
    const anyFault = head && ANY_ACTION_FAULTS.has(head) ? takeFault((k) => k === head) : undefined;
    if (anyFault === 'hang') {
      logger.debug({ action }, 'jimeng-sim hanging a call');
      return; // never answered; close() destroys the socket
    }
    if (anyFault === 'slow') ctx.delayMs = faults.slowMs;
    if (anyFault === 'qps') return sendBiz(ctx, 429, 50429, null, 'injected');
    if (anyFault === '500') return sendBiz(ctx, 500, 50500, null, 'injected');
    if (!admit(ak)) return sendBiz(ctx, 429, 50429, null, 'qps limit');

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return sendBiz(ctx, 400, 50215, null, 'body is not JSON');
    }
    if (action === SUBMIT_ACTION) handleSubmit(ctx, ak, json, anyFault === undefined);
    else handleGetResult(ctx, json);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'jimeng-sim handler failed');
      try {
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
        else res.destroy();
      } catch {
        res.destroy();
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url: baseUrl }, 'jimeng simulator listening');

  return {
    url: baseUrl,
    port,
    faults,
    tasks,
    calls,
    stats,
    inject(...kinds) {
      faults.next.push(...kinds);
    },
    setGenerationMs(ms) {
      generationMs = ms;
      const now = Date.now();
      for (const t of tasks.values()) if (statusOf(t, now) !== 'done') t.generationMs = ms;
    },
    setLimits(limits) {
      if (limits.qps !== undefined) qps = limits.qps;
      if (limits.maxConcurrentTasks !== undefined) maxConcurrentTasks = limits.maxConcurrentTasks;
    },
    statusOf(taskId) {
      const t = tasks.get(taskId);
      return t ? statusOf(t) : 'not_found';
    },
    reset() {
      tasks.clear();
      calls.length = 0;
      for (const k of Object.keys(stats) as (keyof SimStats)[]) stats[k] = 0;
      windows.clear();
      createdCount = 0;
      Object.assign(faults, defaultFaults(), opts.faults, { next: [...(opts.faults?.next ?? [])] });
      generationMs = opts.generationMs ?? 3000;
      qps = opts.qps ?? 0;
      maxConcurrentTasks = opts.maxConcurrentTasks ?? 0;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
    },
  };
}

/** Known req_keys (handy for the sandbox UI). */
export const SIM_REQ_KEYS: readonly string[] = Object.keys(SIM_MODEL_RULES);

export { SIM_MODEL_RULES };
