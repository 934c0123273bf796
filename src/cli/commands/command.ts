/** What every command gets, and what it is. */
import type { ParsedArgs } from '../args.js';
import type { CliIo, Out } from '../io.js';

export interface CommandContext extends Out {
  io: CliIo;
  args: ParsedArgs;
  json: boolean;
}

export type Command = (ctx: CommandContext) => Promise<number> | number;
