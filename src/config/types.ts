import type { JimengAccountConfig } from './jimeng-accounts.js';

/** The bot's settings, as loadConfig (src/config.ts) returns them once every check passed. */
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
    /** As given (VOLC_ACCESSKEY): one key, or a comma-separated list (see `accounts`). */
    accessKeyId: string;
    secretAccessKey: string;
    /**
     * The accounts the bot uses, resolved from the config file's `jimeng.accounts` or the key lists above
     * (empty only in the sandbox, which makes its own).
     */
    accounts: JimengAccountConfig[];
    endpoint: string;
    /** Per account, unless an account in `jimeng.accounts` says otherwise. */
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
