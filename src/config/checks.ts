import { createModelCatalog } from '../jimeng/model-catalog.js';
import type { ConfigProblem } from './config-error.js';
import type { Config } from './types.js';

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const isUrl = (s: unknown) => typeof s === 'string' && /^https?:\/\/[^\s/]+[^\s]*$/.test(s);

/** Every problem with a merged configuration, one line each (never echoing a secret's value). */
export function configProblems(c: Config, opts: { accountsListed?: boolean } = {}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = (cond: boolean, setting: string, message: string) => {
    if (!cond) problems.push({ setting, message: `${setting}: ${message}` });
  };
  check(Number.isInteger(c.port) && c.port >= 0 && c.port < 65536, 'PORT', 'must be a port number 0-65535');
  check(c.locale === 'zh' || c.locale === 'en', 'BOT_LOCALE', 'must be "zh" or "en"');
  check(typeof c.dataDir === 'string' && c.dataDir !== '', 'DATA_DIR', 'must be a directory path');
  check(
    ['webhook', 'websocket'].includes(c.lark.transport),
    'LARK_TRANSPORT',
    `must be "webhook" or "websocket", got ${JSON.stringify(c.lark.transport)}`,
  );
  check(
    ['feishu', 'lark'].includes(c.lark.domain) || isUrl(c.lark.domain),
    'LARK_DOMAIN',
    `must be "feishu", "lark" or a base URL like https://open.feishu.cn, got ${JSON.stringify(c.lark.domain)}`,
  );
  check(isUrl(c.jimeng.endpoint), 'JIMENG_ENDPOINT', 'must be a URL like https://visual.volcengineapi.com');
  check(c.jimeng.qps > 0 && c.jimeng.qps <= 1000, 'JIMENG_QPS', 'must be a number > 0 (requests per second)');
  check(
    Number.isInteger(c.jimeng.maxConcurrent) && c.jimeng.maxConcurrent >= 1,
    'JIMENG_MAX_CONCURRENT',
    'must be an integer ≥ 1',
  );
  check(
    ['720p', '1080p', 'pro'].includes(c.jimeng.defaultModel),
    'JIMENG_DEFAULT_MODEL',
    'must be 720p, 1080p or pro',
  );
  try {
    createModelCatalog(c.jimeng.prices ?? {});
  } catch (e) {
    problems.push({
      setting: 'jimeng.prices',
      message: `jimeng.prices: ${(e as Error).message}; give 元 per second by req_key (see \`jimeng models\`)`,
    });
  }
  check(c.quota.userDailyVideos >= 0, 'QUOTA_USER_DAILY', 'must be an integer ≥ 0');
  check(c.quota.chatDailyVideos >= 0, 'QUOTA_CHAT_DAILY', 'must be an integer ≥ 0 (0 = no chat limit)');
  check(c.quota.dailyBudgetYuan >= 0, 'BUDGET_DAILY_YUAN', 'must be a number ≥ 0 (0 = no budget limit)');
  check(c.quota.maxInFlightPerUser >= 1, 'QUOTA_MAX_IN_FLIGHT', 'must be an integer ≥ 1');
  check(
    validTimezone(c.quota.timezone),
    'QUOTA_TIMEZONE',
    `unknown time zone ${JSON.stringify(c.quota.timezone)}; use an IANA name like Asia/Shanghai`,
  );
  if (!Array.isArray(c.admins) || !c.admins.every((a) => typeof a === 'string'))
    problems.push({
      setting: 'BOT_ADMINS',
      message: 'BOT_ADMINS: must be a comma-separated list of open_ids',
    });
  else
    for (const a of c.admins)
      check(
        /^ou_[0-9a-zA-Z_-]+$/.test(a),
        'BOT_ADMINS',
        `${JSON.stringify(a)} is not an open_id (they start with "ou_")`,
      );
  check(
    c.retention.dedupHours >= c.lark.maxEventAgeHours + 1,
    'retention.dedupHours',
    `must exceed lark.maxEventAgeHours (${c.lark.maxEventAgeHours}) by an hour or more: a delivery old enough to be forgotten must be dropped as a replay`,
  );
  check(
    c.lark.maxEventAgeHours >= 8,
    'lark.maxEventAgeHours',
    'must be at least 8 (Feishu re-pushes an event for about 7.1 hours)',
  );
  check(
    c.delivery.maxAttempts >= 1 && c.delivery.retrySeconds > 0,
    'delivery',
    'maxAttempts must be ≥ 1 and retrySeconds > 0',
  );
  if (c.database.url)
    check(
      /^postgres(ql)?:\/\//.test(c.database.url),
      'DATABASE_URL',
      'must be a postgres:// URL (postgres://user:password@host:5432/db)',
    );
  check(
    Number.isInteger(c.database.poolSize) && c.database.poolSize >= 2 && c.database.poolSize <= 200,
    'DATABASE_POOL_SIZE',
    'must be a whole number of connections per replica, 2-200',
  );
  check(
    c.database.replicaTimeoutSeconds >= 0.5 && c.database.replicaTimeoutSeconds <= 600,
    'DATABASE_REPLICA_TIMEOUT_SECONDS',
    'must be 0.5-600 seconds (how long a replica may go unheard before its claims are free)',
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
    // With `jimeng.accounts` in the config file, its own problems say what is missing.
    if (!opts.accountsListed) {
      check(
        !!c.jimeng.accessKeyId,
        'VOLC_ACCESSKEY',
        'is required: a Volcengine access key id (console → IAM → access keys), or list jimeng.accounts in the config file',
      );
      check(
        !!c.jimeng.secretAccessKey,
        'VOLC_SECRETKEY',
        'is required: the secret of the Volcengine access key',
      );
    }
    check(
      /^cli_[0-9a-z]+$/i.test(c.lark.appId),
      'LARK_APP_ID',
      'does not look like a Feishu app id (they start with "cli_")',
    );
  }
  return problems;
}
