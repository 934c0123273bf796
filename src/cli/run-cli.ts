/** `jimeng`: parse, dispatch to a command, turn every failure into words and an exit code. */
import { isJimengError, type JimengError } from '../jimeng/errors.js';
import { parseArgs } from './args.js';
import { checkCommand } from './commands/check.js';
import type { Command } from './commands/command.js';
import { i2vCommand } from './commands/i2v.js';
import { modelsCommand } from './commands/models.js';
import { statusCommand } from './commands/status.js';
import { t2vCommand } from './commands/t2v.js';
import { waitCommand } from './commands/wait.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, lineWriters } from './io.js';
import { nearest } from './suggest.js';
import { jimengErrorText } from './texts/errors.js';
import { HELP } from './texts/help.js';
import { usageErrorText } from './texts/usage.js';
import { UsageError } from './usage-error.js';

export const COMMANDS: Readonly<Record<string, Command>> = {
  models: modelsCommand,
  check: checkCommand,
  t2v: t2vCommand,
  i2v: i2vCommand,
  status: statusCommand,
  wait: waitCommand,
};

function exitFor(e: JimengError): number {
  if (e.code === 'SIGNATURE' || e.code === 'AUTH' || e.code === 'ACCESS_DENIED' || e.code === 'BAD_MODEL') {
    return EXIT_USAGE;
  }
  return e.audience === 'user' && e.httpStatus === undefined && !e.jimengCode ? EXIT_USAGE : EXIT_FAILED;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const w = lineWriters(io);
  let json = argv.includes('--json');
  try {
    const args = parseArgs(argv);
    json = args.values.json ?? false;
    const { command } = args;
    if (args.values.help || !command || command === 'help') {
      w.out(HELP);
      return command || args.values.help ? EXIT_OK : EXIT_USAGE;
    }
    const run = COMMANDS[command];
    if (!run) {
      const suggestion = nearest(command, Object.keys(COMMANDS));
      throw new UsageError('UNKNOWN_COMMAND', { command, ...(suggestion ? { suggestion } : {}) }, suggestion);
    }
    return await run({ io, args, json, ...w });
  } catch (e) {
    if (e instanceof UsageError) {
      w.err(usageErrorText(e));
      if (json) w.out(JSON.stringify({ ok: false, error: { code: e.code, details: e.details } }));
      return EXIT_USAGE;
    }
    if (isJimengError(e)) {
      w.err(jimengErrorText(e));
      if (json) w.out(JSON.stringify({ ok: false, error: e.toJSON() }));
      return exitFor(e);
    }
    w.err(`内部错误 (internal error): ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_FAILED;
  }
}
