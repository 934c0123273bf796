/** The command line: `jimeng <command> [positionals] [options]`, options anywhere, `--` ends them. */
import { nearest } from './suggest.js';
import { UsageError } from './usage-error.js';

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export const OPTIONS = {
  model: { type: 'string', short: 'm' },
  duration: { type: 'string', short: 'd' },
  ratio: { type: 'string', short: 'r' },
  seed: { type: 'string' },
  image: { type: 'string', short: 'i' },
  last: { type: 'string' },
  camera: { type: 'string' },
  strength: { type: 'string' },
  wait: { type: 'boolean', short: 'w' },
  out: { type: 'string', short: 'o' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  account: { type: 'string', short: 'a' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;
type ValueOf<N extends OptionName> = (typeof OPTIONS)[N]['type'] extends 'boolean' ? boolean : string;
export type Values = { [N in OptionName]?: ValueOf<N> };

export interface ParsedArgs {
  command?: string;
  positionals: string[];
  values: Values;
}

const NAMES = Object.keys(OPTIONS) as OptionName[];
const BY_SHORT = new Map<string, OptionName>(
  NAMES.flatMap((n): [string, OptionName][] => {
    const short = (OPTIONS[n] as OptionSpec).short;
    return short ? [[short, n]] : [];
  }),
);

function unknown(flag: string, command: string | undefined): UsageError {
  const isLong = flag.startsWith('--');
  const guess = isLong ? nearest(flag.slice(2), NAMES) : undefined;
  return new UsageError(
    'UNKNOWN_OPTION',
    { option: flag, ...(guess ? { suggestion: `--${guess}` } : {}) },
    command,
  );
}

/**
 * Parses argv. A string option takes the next argument whatever it looks like (`--seed -1` works), or its
 * `=value`. Throws UsageError for unknown options (with the nearest known one) and missing values.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const values: Record<string, string | boolean> = {};
  const command = () => positionals[0];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: OptionName | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const raw = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      if (!(NAMES as string[]).includes(raw)) throw unknown(`--${raw}`, command());
      name = raw as OptionName;
    } else if (/^-[^-\d]/.test(arg)) {
      name = BY_SHORT.get(arg.slice(1, 2));
      if (!name || arg.length > 2) throw unknown(arg, command());
    } else {
      positionals.push(arg);
      continue;
    }
    const spec: OptionSpec = OPTIONS[name];
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError('UNEXPECTED_VALUE', { option: `--${name}` }, command());
      values[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError('MISSING_VALUE', { option: `--${name}` }, command());
    values[name] = value;
  }
  const [first, ...rest] = positionals;
  return { command: first, positionals: rest, values: values as Values };
}

/** An integer option, or undefined when absent. */
export function intOption(name: OptionName, text: string | undefined, command?: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim()))
    throw new UsageError('NOT_AN_INTEGER', { option: `--${name}`, value: text }, command);
  return Number(text);
}
