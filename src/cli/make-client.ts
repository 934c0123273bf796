/**
 * The Jimeng clients from the environment: VOLC_ACCESSKEY / VOLC_SECRETKEY (one key pair, or
 * comma-separated lists of the same length), or `jimeng.accounts` in the file named by CONFIG_FILE, as the
 * bot reads them; JIMENG_ENDPOINT and JIMENG_QPS.
 */
import { type JimengAccountConfig, resolveJimengAccounts } from '../config/jimeng-accounts.js';
import { readJson } from '../config/sources.js';
import { JimengClient } from '../jimeng/client.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';

export interface NamedClient {
  name: string;
  client: JimengClient;
}

function fileJimeng(io: CliIo): Record<string, unknown> {
  const path = io.env.CONFIG_FILE?.trim();
  if (!path) return {};
  const problems: { setting: string; message: string }[] = [];
  const json = readJson(path, 'CONFIG_FILE', problems);
  if (problems[0]) throw new UsageError('BAD_ACCOUNTS', { problem: problems[0].message });
  const j = json.jimeng;
  return j && typeof j === 'object' ? (j as Record<string, unknown>) : {};
}

function accountsOf(io: CliIo): { accounts: JimengAccountConfig[]; endpoint?: string } {
  const file = fileJimeng(io);
  const ak = io.env.VOLC_ACCESSKEY?.trim();
  const sk = io.env.VOLC_SECRETKEY?.trim();
  const listed = Array.isArray(file.accounts) && file.accounts.length > 0;
  if (!listed && !ak) throw new UsageError('MISSING_ENV', { name: 'VOLC_ACCESSKEY' });
  if (!listed && !sk) throw new UsageError('MISSING_ENV', { name: 'VOLC_SECRETKEY' });
  const qpsText = io.env.JIMENG_QPS?.trim();
  const qps = qpsText ? Number(qpsText) : (file.qps ?? 1);
  if (qpsText && !(Number(qpsText) > 0)) {
    throw new UsageError('BAD_ENV', {
      name: 'JIMENG_QPS',
      value: qpsText,
      expected: '必须是正数 (a number > 0)',
    });
  }
  const problems: { setting: string; message: string }[] = [];
  const accounts = resolveJimengAccounts(
    { accessKeyId: ak, secretAccessKey: sk, qps, maxConcurrent: file.maxConcurrent, accounts: file.accounts },
    problems,
  );
  if (problems[0]) throw new UsageError('BAD_ACCOUNTS', { problem: problems[0].message });
  const endpoint =
    io.env.JIMENG_ENDPOINT?.trim() || (typeof file.endpoint === 'string' ? file.endpoint : undefined);
  return { accounts, ...(endpoint ? { endpoint } : {}) };
}

/** Every configured account's client, in order (`only`: just the account of that name). */
export function makeClients(io: CliIo, only?: string): NamedClient[] {
  const { accounts, endpoint } = accountsOf(io);
  const picked = only === undefined ? accounts : accounts.filter((a) => a.name === only);
  if (!picked.length)
    throw new UsageError('UNKNOWN_ACCOUNT', {
      account: only ?? '',
      known: accounts.map((a) => a.name).join(', '),
    });
  return picked.map((a) => ({
    name: a.name,
    client: new JimengClient({
      accessKeyId: a.accessKeyId,
      secretAccessKey: a.secretAccessKey,
      accountLabel: a.name,
      endpoint,
      qps: a.qps,
      maxConcurrent: a.maxConcurrent,
      fetch: io.fetch,
      ...io.clientOptions,
    }),
  }));
}

/** One client: the account named by `--account`, else the first configured one. */
export function makeClient(io: CliIo, account?: string): JimengClient {
  return makeClients(io, account)[0]!.client;
}
