import { fileURLToPath } from 'node:url';
import { configProblems } from './config/checks.js';
import { ConfigError, type ConfigProblem } from './config/config-error.js';
import { type Env, fromEnv, merge, readJson } from './config/sources.js';

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
    /** Deliveries created longer ago are dropped as replays (Feishu re-pushes for ~7.1 h). */
    maxEventAgeHours: number;
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
    /** 元 per second by req_key; models left out keep the catalog's defaults. */
    prices: Record<string, number>;
  };
  quota: {
    userDailyVideos: number;
    chatDailyVideos: number;
    dailyBudgetYuan: number;
    maxInFlightPerUser: number;
    timezone: string;
  };
  retention: { finishedJobs: number; finishedJobDays: number; ledgerDays: number; dedupHours: number };
  /** Bringing a finished video into the chat: attempts, and the first backoff (doubling, ≤ 10 min). */
  delivery: { maxAttempts: number; retrySeconds: number };
  /**
   * PostgreSQL for several replicas; empty url = the embedded file store. `poolSize`: connections per
   * replica; `replicaTimeoutSeconds`: a replica not heard from for this long is dead, its claims free.
   */
  database: { url: string; poolSize: number; replicaTimeoutSeconds: number };
  /** True when no Feishu app is configured: `npm start` runs the local sandbox. */
  sandbox: boolean;
}

export { ConfigError, type ConfigProblem } from './config/config-error.js';

const DEFAULT_FILE = fileURLToPath(new URL('../config/default.json', import.meta.url));

/**
 * Loads config/default.json, then the file named by CONFIG_FILE (if any), then the environment. Throws a
 * ConfigError listing every missing or malformed setting (one line each, naming it and the fix).
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: ConfigProblem[] = [];
  let json = readJson(DEFAULT_FILE, 'config/default.json', problems);
  if (env.CONFIG_FILE) json = merge(json, readJson(env.CONFIG_FILE, 'CONFIG_FILE', problems));
  json = merge(json, fromEnv(env, problems));
  const c = json as unknown as Config;
  c.sandbox = !c.lark?.appId;
  // A setting the environment gave badly is reported once (its default would pass the checks).
  const named = new Set(problems.map((p) => p.setting));
  for (const p of configProblems(c)) if (!named.has(p.setting)) problems.push(p);
  if (problems.length) throw new ConfigError(problems);
  return c;
}
