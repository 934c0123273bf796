/**
 * `jimeng check [--model M] [--account NAME]`: credentials, connectivity and the models each account may
 * use, probing the default model (--model, else JIMENG_DEFAULT_MODEL, else 720p) first. Every configured
 * account is checked (at once: each has its own rate budget); prints a table of accounts (account, verdict,
 * models usable) and each account's models.
 */
import type { AccountCheck } from '../../jimeng/check.js';
import { getModel, isModelTier, TIERS } from '../../jimeng/models.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../io.js';
import { makeClients } from '../make-client.js';
import { accountDetail, accountsTable } from '../texts/check.js';
import { UsageError } from '../usage-error.js';
import type { CommandContext } from './command.js';

function defaultModel(ctx: CommandContext): string {
  const fromFlag = ctx.args.values.model?.trim();
  if (fromFlag) {
    if (!isModelTier(fromFlag) && !getModel(fromFlag))
      throw new UsageError('UNKNOWN_MODEL', { model: fromFlag }, 'check');
    return fromFlag;
  }
  const fromEnv = ctx.io.env.JIMENG_DEFAULT_MODEL?.trim();
  if (!fromEnv) return '720p';
  if (!isModelTier(fromEnv) && !getModel(fromEnv)) {
    throw new UsageError('BAD_ENV', {
      name: 'JIMENG_DEFAULT_MODEL',
      value: fromEnv,
      expected: `可选 ${TIERS.join('、')} 或完整 req_key`,
    });
  }
  return fromEnv;
}

function exitFor(checks: AccountCheck[]): number {
  if (checks.every((c) => c.ok)) return EXIT_OK;
  return checks.some((c) => c.verdict === 'bad_credentials' || c.verdict === 'access_denied')
    ? EXIT_USAGE
    : EXIT_FAILED;
}

export async function checkCommand(ctx: CommandContext): Promise<number> {
  const model = defaultModel(ctx);
  const clients = makeClients(ctx.io, ctx.args.values.account);
  const checks = await Promise.all(clients.map(({ client }) => client.checkAccount({ model })));
  if (ctx.json) {
    ctx.out(JSON.stringify({ accounts: checks.map((c) => ({ ...c, error: c.error?.toJSON() })) }));
  } else {
    for (const line of accountsTable(checks)) ctx.out(line);
    ctx.out('');
    for (const c of checks) for (const line of accountDetail(c)) ctx.out(line);
  }
  const code = exitFor(checks);
  if (code !== EXIT_OK && !ctx.json) ctx.err(`check failed: ${checks.map((c) => c.verdict).join(', ')}`);
  return code;
}
