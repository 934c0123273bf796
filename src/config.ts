import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Locale = 'zh' | 'en';
export type Tier = '720p' | '1080p' | 'pro';

export interface Config {
  port: number;
  dataDir: string;
  locale: Locale;
  logLevel: string;
  /** Base URL the sandbox prints; empty means http://localhost:PORT. */
  publicUrl: string;
  admins: string[];
  lark: {
    appId: string;
    appSecret: string;
    encryptKey: string;
    verificationToken: string;
    domain: string;
    transport: 'webhook' | 'websocket';
    maxBodyBytes: number;
  };
  jimeng: {
    accessKeyId: string;
    secretAccessKey: string;
    endpoint: string;
    qps: number;
    maxConcurrent: number;
    defaultModel: Tier;
    defaultDuration: 5 | 10;
    defaultRatio: string;
    expectedGenerationSeconds: number;
    taskTimeoutMinutes: number;
  };
  quota: {
    userDailyVideos: number;
    chatDailyVideos: number;
    dailyBudgetYuan: number;
    maxInFlightPerUser: number;
    timezone: string;
  };
  retention: { finishedJobs: number; finishedJobDays: number; ledgerDays: number };
  /** True when no Feishu app is configured: `npm start` runs the local sandbox. */
  sandbox: boolean;
}

/** A setting that is missing or malformed; `message` is one line naming the setting and the fix. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
type Json = Record<string, unknown>;

const DEFAULT_FILE = fileURLToPath(new URL('../config/default.json', import.meta.url));

function readJson(path: string, setting: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(setting, `${setting}: cannot read ${path}; point it at an existing JSON file`);
  }
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new ConfigError(setting, `${setting}: ${path} is not valid JSON (${(e as Error).message})`);
  }
}

function merge(base: Json, over: Json): Json {
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
const ENV: Array<[string, string, 'string' | 'int' | 'number' | 'list']> = [
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

function fromEnv(env: Env): Json {
  const out: Json = {};
  for (const [name, path, kind] of ENV) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw.trim();
    if (kind === 'int' || kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n)))
        throw new ConfigError(
          name,
          `${name}=${JSON.stringify(raw)} is not ${kind === 'int' ? 'an integer' : 'a number'}`,
        );
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

function check(cond: boolean, setting: string, message: string): asserts cond {
  if (!cond) throw new ConfigError(setting, `${setting}: ${message}`);
}

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads config/default.json, then the file named by CONFIG_FILE (if any), then the environment.
 * Throws ConfigError with one line that names the setting and how to fix it.
 */
export function loadConfig(env: Env = process.env): Config {
  let json = readJson(DEFAULT_FILE, 'config/default.json');
  if (env.CONFIG_FILE) json = merge(json, readJson(env.CONFIG_FILE, 'CONFIG_FILE'));
  json = merge(json, fromEnv(env));
  const c = json as unknown as Config;
  c.sandbox = !c.lark.appId;

  check(Number.isInteger(c.port) && c.port >= 0 && c.port < 65536, 'PORT', 'must be a port number 0-65535');
  check(c.locale === 'zh' || c.locale === 'en', 'BOT_LOCALE', 'must be "zh" or "en"');
  check(typeof c.dataDir === 'string' && c.dataDir !== '', 'DATA_DIR', 'must be a directory path');
  check(
    ['webhook', 'websocket'].includes(c.lark.transport),
    'LARK_TRANSPORT',
    `must be "webhook" or "websocket", got ${JSON.stringify(c.lark.transport)}`,
  );
  check(
    ['feishu', 'lark'].includes(c.lark.domain) || /^https?:\/\/[^\s]+$/.test(c.lark.domain),
    'LARK_DOMAIN',
    `must be "feishu", "lark" or a base URL like https://open.feishu.cn, got ${JSON.stringify(c.lark.domain)}`,
  );
  check(
    /^https?:\/\/[^\s/]+/.test(c.jimeng.endpoint),
    'JIMENG_ENDPOINT',
    'must be a URL like https://visual.volcengineapi.com',
  );
  check(c.jimeng.qps > 0 && c.jimeng.qps <= 1000, 'JIMENG_QPS', 'must be a number > 0 (requests per second)');
  check(c.jimeng.maxConcurrent >= 1, 'JIMENG_MAX_CONCURRENT', 'must be an integer ≥ 1');
  check(
    ['720p', '1080p', 'pro'].includes(c.jimeng.defaultModel),
    'JIMENG_DEFAULT_MODEL',
    'must be 720p, 1080p or pro',
  );
  check(c.quota.userDailyVideos >= 0, 'QUOTA_USER_DAILY', 'must be an integer ≥ 0');
  check(c.quota.chatDailyVideos >= 0, 'QUOTA_CHAT_DAILY', 'must be an integer ≥ 0 (0 = no chat limit)');
  check(c.quota.dailyBudgetYuan >= 0, 'BUDGET_DAILY_YUAN', 'must be a number ≥ 0 (0 = no budget limit)');
  check(c.quota.maxInFlightPerUser >= 1, 'QUOTA_MAX_IN_FLIGHT', 'must be an integer ≥ 1');
  check(
    validTimezone(c.quota.timezone),
    'QUOTA_TIMEZONE',
    `unknown time zone ${JSON.stringify(c.quota.timezone)}; use an IANA name like Asia/Shanghai`,
  );
  check(
    Array.isArray(c.admins) && c.admins.every((a) => typeof a === 'string'),
    'BOT_ADMINS',
    'must be a comma-separated list of open_ids',
  );
  for (const a of c.admins)
    check(
      /^ou_[0-9a-zA-Z_-]+$/.test(a),
      'BOT_ADMINS',
      `${JSON.stringify(a)} is not an open_id (they start with "ou_")`,
    );

  if (!c.sandbox) {
    check(
      !!c.lark.appSecret,
      'LARK_APP_SECRET',
      'is required when LARK_APP_ID is set (Feishu developer console → Credentials)',
    );
    check(
      !!c.lark.verificationToken || c.lark.transport === 'websocket',
      'LARK_VERIFICATION_TOKEN',
      'is required for the webhook transport (developer console → Events & Callbacks → Encryption strategy)',
    );
    check(
      !!c.jimeng.accessKeyId,
      'VOLC_ACCESSKEY',
      'is required: a Volcengine access key id (console → IAM → access keys)',
    );
    check(
      !!c.jimeng.secretAccessKey,
      'VOLC_SECRETKEY',
      'is required: the secret of the Volcengine access key',
    );
    check(
      /^cli_[0-9a-z]+$/i.test(c.lark.appId),
      'LARK_APP_ID',
      'does not look like a Feishu app id (they start with "cli_")',
    );
  }
  return c;
}
