#!/usr/bin/env node
/**
 * `jimeng`: command-line client for the Volcengine Jimeng (即梦) video API.
 * Exit codes: 0 ok, 1 failed task (or service/network failure), 2 usage or configuration error.
 */
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type FetchLike,
  JimengClient,
  type JimengClientOptions,
  type TaskResult,
  type WaitProgress,
} from './jimeng/client.js';
import { isJimengError, type JimengError } from './jimeng/errors.js';
import { getModel, isModelTier, MODELS, type ModelInfo, priceOf, RATIOS } from './jimeng/models.js';
import { type ImageInput, type VideoRequest, validateRequest } from './jimeng/validate.js';

export interface CliStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: CliStream;
  stderr: CliStream;
  fetch?: FetchLike;
  /** Overrides for the client (tests: poll intervals, retry delays). */
  clientOptions?: Partial<JimengClientOptions>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const HELP = `jimeng — 即梦 (Volcengine Jimeng) video generation CLI

用法 Usage:
  jimeng models                              列出模型 / list models and prices
  jimeng check                               检查密钥与连通性 / check credentials + connectivity
  jimeng t2v "<prompt>" [options]            文生视频 / text to video
  jimeng i2v --image <path|url> "<prompt>"   图生视频（首帧）/ image to video (first frame)
  jimeng status <task_id> --model <M>        查询任务 / one status query
  jimeng wait <task_id> --model <M>          等待任务完成 / wait until finished

选项 Options:
  --model, -m <M>     720p | 1080p | pro 或完整 req_key (default 720p)
  --duration, -d <s>  5 | 10 秒 (default 5)
  --ratio, -r <R>     ${RATIOS.join(' | ')} (default 16:9; ignored with an image)
  --seed <N>          随机种子, -1 = 随机 (use --seed=-1 for negatives)
  --image, -i <x>     图片文件路径或 http(s) 链接 (JPEG/PNG, ≤4.7 MB, 320–4096 px, ≤3:1)
  --wait, -w          提交后等待完成 / wait for the result
  --out, -o <file>    下载视频到文件（隐含 --wait）/ download the MP4 (implies --wait)
  --timeout <s>       最长等待秒数 / max wait in seconds (default 1200)
  --json              机器可读输出 / JSON on stdout
  --help, -h          显示帮助 / this help

环境变量 Environment:
  VOLC_ACCESSKEY, VOLC_SECRETKEY   火山引擎 AK/SK (required except for models/help)
  JIMENG_ENDPOINT                  default https://visual.volcengineapi.com
  JIMENG_QPS                       account QPS budget (default 1)

退出码 Exit codes: 0 成功 ok, 1 任务失败 failed, 2 用法或配置错误 usage/config error
`;

class UsageError extends Error {}
class ConfigError extends UsageError {}

type Values = {
  model?: string;
  duration?: string;
  ratio?: string;
  seed?: string;
  image?: string;
  wait?: boolean;
  out?: string;
  timeout?: string;
  json?: boolean;
  help?: boolean;
};

function parse(argv: string[]): { command?: string; positionals: string[]; values: Values } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string', short: 'm' },
      duration: { type: 'string', short: 'd' },
      ratio: { type: 'string', short: 'r' },
      seed: { type: 'string' },
      image: { type: 'string', short: 'i' },
      wait: { type: 'boolean', short: 'w' },
      out: { type: 'string', short: 'o' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  return { command, positionals: rest, values: values as Values };
}

function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

const STATUS_ZH: Record<string, string> = {
  in_queue: '排队中',
  generating: '生成中',
  done: '已完成',
  failed: '失败',
  not_found: '未找到',
  expired: '已过期',
};

function describeError(e: JimengError): string {
  const extra = [e.jimengCode ?? e.gatewayCode, e.requestId ? `request_id ${e.requestId}` : undefined]
    .filter((x) => x !== undefined && !e.message.includes(String(x)))
    .join(', ');
  return `错误 [${e.code}]：${e.userMessage} (${e.message}${extra ? `; ${extra}` : ''})`;
}

function exitFor(e: JimengError): number {
  if (e.code === 'SIGNATURE' || e.code === 'AUTH' || e.code === 'ACCESS_DENIED' || e.code === 'BAD_MODEL') {
    return EXIT_USAGE;
  }
  return e.audience === 'user' && e.httpStatus === undefined && !e.jimengCode ? EXIT_USAGE : EXIT_FAILED;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const out = (s: string) => io.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
  const err = (s: string) => io.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  let json = argv.includes('--json');
  try {
    const { command, positionals, values } = parse(argv);
    json = values.json ?? false;
    if (values.help || !command || command === 'help') {
      out(HELP);
      return command || values.help ? EXIT_OK : EXIT_USAGE;
    }
    switch (command) {
      case 'models':
        return cmdModels(json, out);
      case 'check':
        return await cmdCheck(io, json, out, err);
      case 't2v':
      case 'i2v':
        return await cmdGenerate(command, positionals, values, io, out, err);
      case 'status':
      case 'wait':
        return await cmdTask(command, positionals, values, io, out, err);
      default:
        throw new UsageError(`未知命令「${command}」(unknown command). 运行 jimeng --help 查看用法。`);
    }
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      err(e instanceof ConfigError ? `配置错误 (config): ${e.message}` : `用法错误 (usage): ${e.message}`);
      if (json) out(JSON.stringify({ ok: false, error: { code: 'USAGE', message: e.message } }));
      return EXIT_USAGE;
    }
    if (isJimengError(e)) {
      err(describeError(e));
      if (json) out(JSON.stringify({ ok: false, error: e.toJSON() }));
      return exitFor(e);
    }
    err(`内部错误 (internal error): ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_FAILED;
  }
}

function cmdModels(json: boolean, out: (s: string) => void): number {
  if (json) {
    out(JSON.stringify(MODELS));
    return EXIT_OK;
  }
  out('req_key                          档位   类型  图片  时长     ¥/秒  比例');
  for (const m of MODELS) {
    const kind = { t2v: '文生', i2v: '图生', both: '文/图' }[m.kind];
    out(
      `${m.reqKey.padEnd(33)}${m.tier.padEnd(7)}${kind.padEnd(5)}${String(m.images).padEnd(5)}${m.durations
        .map((d) => `${d}s`)
        .join('/')
        .padEnd(
          9,
        )}${m.pricePerSecond.toFixed(1).padEnd(6)}${m.ratios.length ? m.ratios.join(' ') : '跟随图片'}${
        m.documented ? '' : '  (未在官方文档确认)'
      }`,
    );
  }
  out('档位 --model：720p、1080p、pro（带图时自动选图生模型）。价格为近似值。');
  return EXIT_OK;
}

function makeClient(io: CliIo): JimengClient {
  const ak = io.env.VOLC_ACCESSKEY?.trim();
  const sk = io.env.VOLC_SECRETKEY?.trim();
  for (const [name, value] of [
    ['VOLC_ACCESSKEY', ak],
    ['VOLC_SECRETKEY', sk],
  ] as const) {
    if (!value) throw new ConfigError(`缺少环境变量 ${name}，请先设置：export ${name}=... (missing ${name})`);
  }
  const qpsText = io.env.JIMENG_QPS?.trim();
  const qps = qpsText ? Number(qpsText) : undefined;
  if (qps !== undefined && !(qps > 0)) throw new ConfigError(`JIMENG_QPS 必须是正数 (got ${qpsText})`);
  return new JimengClient({
    accessKeyId: ak!,
    secretAccessKey: sk!,
    endpoint: io.env.JIMENG_ENDPOINT?.trim() || undefined,
    qps,
    fetch: io.fetch,
    ...io.clientOptions,
  });
}

async function cmdCheck(io: CliIo, json: boolean, out: (s: string) => void, err: (s: string) => void) {
  const client = makeClient(io);
  const v = await client.testConnection();
  if (json) {
    out(JSON.stringify({ ...v, error: v.error?.toJSON() }));
  } else {
    const mark = v.ok ? '✅' : '❌';
    out(`${mark} ${v.verdict}: ${v.message}`);
    out(`   endpoint ${v.endpoint}, ${v.latencyMs} ms${v.requestId ? `, request_id ${v.requestId}` : ''}`);
  }
  if (!v.ok && !json) err(`check failed: ${v.verdict}`);
  if (v.ok) return EXIT_OK;
  return v.verdict === 'bad_credentials' || v.verdict === 'access_denied' ? EXIT_USAGE : EXIT_FAILED;
}

function parseIntOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim()))
    throw new UsageError(`--${name} 需要整数 (expects an integer), got "${text}"`);
  return Number(text);
}

async function loadImage(spec: string): Promise<ImageInput> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) return { url: spec };
  try {
    return { bytes: new Uint8Array(await readFile(spec)) };
  } catch (e) {
    throw new UsageError(`读不到图片文件 ${spec} (cannot read image: ${(e as Error).message})`);
  }
}

function progressReporter(stderr: CliStream) {
  let lastLen = 0;
  const tty = !!stderr.isTTY;
  return {
    update(p: WaitProgress) {
      const status = p.pollError
        ? `查询失败，继续等待 (${p.pollError.code})`
        : `${STATUS_ZH[p.status] ?? p.status} (${p.status})`;
      const line = `⏳ ${formatElapsed(p.elapsedMs)} ${status}`;
      if (tty) {
        stderr.write(`\r${line}${' '.repeat(Math.max(0, lastLen - line.length))}`);
        lastLen = line.length;
      } else {
        stderr.write(`${line}\n`);
      }
    },
    end() {
      if (tty && lastLen > 0) stderr.write('\n');
      lastLen = 0;
    },
  };
}

async function finish(
  client: JimengClient,
  result: TaskResult & { elapsedMs?: number },
  ctx: { taskId: string; reqKey: string; outFile?: string; json: boolean },
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  let saved: string | undefined;
  if (result.status === 'done' && result.videoUrl && ctx.outFile) {
    const bytes = await client.download(result.videoUrl);
    await writeFile(ctx.outFile, bytes);
    saved = ctx.outFile;
  }
  const ok = result.status === 'done' || result.status === 'in_queue' || result.status === 'generating';
  if (ctx.json) {
    out(
      JSON.stringify({
        ok,
        taskId: ctx.taskId,
        reqKey: ctx.reqKey,
        status: result.status,
        videoUrl: result.videoUrl,
        out: saved,
        elapsedMs: result.elapsedMs,
        requestId: result.requestId,
        error: result.error?.toJSON(),
      }),
    );
  } else if (result.status === 'done') {
    out(`✅ 视频已生成 (done)：${result.videoUrl}`);
    out('   注意：链接约 1 小时后失效 (the link expires in about an hour).');
    if (saved) out(`   已保存到 ${saved}`);
  } else if (ok) {
    out(`⏳ 任务 ${ctx.taskId} ${STATUS_ZH[result.status]} (${result.status})`);
    out(`   稍后查看：jimeng wait ${ctx.taskId} --model ${ctx.reqKey}`);
  } else {
    err(result.error ? describeError(result.error) : `任务失败 (${result.status})`);
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

async function cmdGenerate(
  command: 't2v' | 'i2v',
  positionals: string[],
  values: Values,
  io: CliIo,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const json = values.json ?? false;
  if (positionals.length === 0)
    throw new UsageError(`${command} 需要一段描述 (missing prompt): jimeng ${command} "<prompt>"`);
  const prompt = positionals.join(' ');
  if (command === 'i2v' && !values.image)
    throw new UsageError('i2v 需要 --image <文件路径或链接> (missing --image)');
  if (command === 't2v' && values.image)
    throw new UsageError('t2v 不接受图片，请用 i2v (use i2v for images)');
  const req: VideoRequest = {
    model: values.model ?? '720p',
    prompt,
    duration: parseIntOption('duration', values.duration) as 5 | 10 | undefined,
    seed: parseIntOption('seed', values.seed),
  };
  if (values.ratio !== undefined) req.ratio = values.ratio;
  if (values.image) req.image = await loadImage(values.image);
  const timeoutS = parseIntOption('timeout', values.timeout);
  // Validate before anything else (no network call, no keys needed to learn the input is wrong).
  const v = validateRequest(req);
  for (const w of v.warnings) err(`提示：${w}`);
  const client = makeClient(io);
  const submitted = await client.submit(req);
  const price = priceOf(v.model, v.duration);
  if (!json) {
    err(
      `已提交 (submitted) task_id=${submitted.taskId} req_key=${submitted.reqKey}，约 ¥${price.toFixed(2)}`,
    );
  }
  if (!values.wait && !values.out) {
    return finish(client, { status: 'in_queue' }, { ...submitted, json }, out, err);
  }
  return waitAndFinish(client, submitted.taskId, submitted.reqKey, values, timeoutS, io, out, err);
}

async function waitAndFinish(
  client: JimengClient,
  taskId: string,
  reqKey: string,
  values: Values,
  timeoutS: number | undefined,
  io: CliIo,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const json = values.json ?? false;
  const progress = progressReporter(io.stderr);
  let result: Awaited<ReturnType<JimengClient['wait']>>;
  try {
    result = await client.wait(taskId, reqKey, {
      timeoutMs: timeoutS !== undefined ? timeoutS * 1000 : undefined,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.end();
  }
  return finish(client, result, { taskId, reqKey, outFile: values.out, json }, out, err);
}

/** The req_keys a --model value may mean for an existing task (a tier covers its t2v and i2v keys). */
function candidateKeys(model: string | undefined): ModelInfo[] {
  if (!model) throw new UsageError('需要 --model（720p、1080p、pro 或提交时的 req_key）(missing --model)');
  if (isModelTier(model)) return MODELS.filter((m) => m.tier === model);
  const m = getModel(model);
  if (!m) throw new UsageError(`不认识的模型「${model}」(unknown model); 可选 720p、1080p、pro 或 req_key`);
  return [m];
}

async function cmdTask(
  command: 'status' | 'wait',
  positionals: string[],
  values: Values,
  io: CliIo,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const json = values.json ?? false;
  const taskId = positionals[0];
  if (!taskId || positionals.length > 1)
    throw new UsageError(`用法 (usage): jimeng ${command} <task_id> --model <M>`);
  const candidates = candidateKeys(values.model);
  const timeoutS = parseIntOption('timeout', values.timeout);
  const client = makeClient(io);
  // A tier names several req_keys; the service only answers for the one the task was submitted with.
  let found: { reqKey: string; result: TaskResult } | undefined;
  let lastError: unknown;
  for (const m of candidates) {
    try {
      const result = await client.getResult(taskId, m.reqKey);
      if (result.status !== 'not_found' || candidates.length === 1) {
        found = { reqKey: m.reqKey, result };
        break;
      }
      found ??= { reqKey: m.reqKey, result };
    } catch (e) {
      if (isJimengError(e) && e.code === 'INVALID_INPUT' && candidates.length > 1) {
        lastError = e;
        continue;
      }
      throw e;
    }
  }
  if (!found) throw lastError;
  const { reqKey, result } = found;
  if (command === 'status' || (result.status !== 'in_queue' && result.status !== 'generating')) {
    return finish(client, result, { taskId, reqKey, outFile: values.out, json }, out, err);
  }
  return waitAndFinish(client, taskId, reqKey, values, timeoutS, io, out, err);
}

async function isMain(): Promise<boolean> {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(await realpath(entry)).href;
  } catch {
    return false;
  }
}

if (await isMain()) {
  // `jimeng models | head`: a closed pipe is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
  process.exitCode = code;
}
