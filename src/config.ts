import { fileURLToPath } from 'node:url';
import { configProblems } from './config/checks.js';
import { ConfigError, type ConfigProblem } from './config/config-error.js';
import { type RawJimengAccounts, resolveJimengAccounts } from './config/jimeng-accounts.js';
import { type Env, fromEnv, merge, readJson } from './config/sources.js';
import type { Config } from './config/types.js';

export { ConfigError, type ConfigProblem } from './config/config-error.js';
export type { JimengAccountConfig } from './config/jimeng-accounts.js';
export type { Config, Locale, Tier } from './config/types.js';

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
  const raw = (c.jimeng ?? {}) as RawJimengAccounts;
  const listed = raw.accounts !== undefined && !(Array.isArray(raw.accounts) && raw.accounts.length === 0);
  const accounts = resolveJimengAccounts(raw, problems);
  if (c.jimeng) c.jimeng.accounts = accounts;
  // A setting the environment gave badly is reported once (its default would pass the checks).
  const named = new Set(problems.map((p) => p.setting));
  for (const p of configProblems(c, { accountsListed: listed })) if (!named.has(p.setting)) problems.push(p);
  if (problems.length) throw new ConfigError(problems);
  return c;
}
