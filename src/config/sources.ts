import { readFileSync } from 'node:fs';
import type { ConfigProblem } from './config-error.js';

export type Env = Record<string, string | undefined>;
export type Json = Record<string, unknown>;

export function readJson(path: string, setting: string, problems: ConfigProblem[]): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    problems.push({ setting, message: `${setting}: cannot read ${path}; point it at an existing JSON file` });
    return {};
  }
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    problems.push({ setting, message: `${setting}: ${path} is not valid JSON (${(e as Error).message})` });
    return {};
  }
}

export function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? merge(b as Json, v as Json)
        : v;
  }
  return out;
}

/** Environment variable → path in the JSON config, and how to read it. */
export const ENV: ReadonlyArray<[string, string, 'string' | 'int' | 'number' | 'list']> = [
  ['PORT', 'port', 'int'],
  ['DATA_DIR', 'dataDir', 'string'],
  ['BOT_LOCALE', 'locale', 'string'],
  ['LOG_LEVEL', 'logLevel', 'string'],
  ['PUBLIC_URL', 'publicUrl', 'string'],
  ['BOT_ADMINS', 'admins', 'list'],
  ['LARK_APP_ID', 'lark.appId', 'string'],
  ['LARK_APP_SECRET', 'lark.appSecret', 'string'],
  ['LARK_ENCRYPT_KEY', 'lark.encryptKey', 'string'],
  ['LARK_VERIFICATION_TOKEN', 'lark.verificationToken', 'string'],
  ['LARK_DOMAIN', 'lark.domain', 'string'],
  ['LARK_TRANSPORT', 'lark.transport', 'string'],
  ['VOLC_ACCESSKEY', 'jimeng.accessKeyId', 'string'],
  ['VOLC_SECRETKEY', 'jimeng.secretAccessKey', 'string'],
  ['JIMENG_ENDPOINT', 'jimeng.endpoint', 'string'],
  ['JIMENG_QPS', 'jimeng.qps', 'number'],
  ['JIMENG_MAX_CONCURRENT', 'jimeng.maxConcurrent', 'int'],
  ['JIMENG_DEFAULT_MODEL', 'jimeng.defaultModel', 'string'],
  ['QUOTA_USER_DAILY', 'quota.userDailyVideos', 'int'],
  ['QUOTA_CHAT_DAILY', 'quota.chatDailyVideos', 'int'],
  ['BUDGET_DAILY_YUAN', 'quota.dailyBudgetYuan', 'number'],
  ['QUOTA_MAX_IN_FLIGHT', 'quota.maxInFlightPerUser', 'int'],
  ['QUOTA_TIMEZONE', 'quota.timezone', 'string'],
  ['DATABASE_URL', 'database.url', 'string'],
  ['DATABASE_POOL_SIZE', 'database.poolSize', 'int'],
  ['DATABASE_REPLICA_TIMEOUT_SECONDS', 'database.replicaTimeoutSeconds', 'number'],
];

function setPath(obj: Json, path: string, value: unknown) {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Json;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** The settings the environment gives; a number that does not parse is a problem (and is left out). */
export function fromEnv(env: Env, problems: ConfigProblem[]): Json {
  const out: Json = {};
  for (const [name, path, kind] of ENV) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw.trim();
    if (kind === 'int' || kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) {
        problems.push({
          setting: name,
          message: `${name}=${JSON.stringify(raw)} is not ${kind === 'int' ? 'an integer' : 'a number'}`,
        });
        continue;
      }
      value = n;
    } else if (kind === 'list') {
      value = raw
        .split(/[,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean);
    }
    setPath(out, path, value);
  }
  return out;
}
