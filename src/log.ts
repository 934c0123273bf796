import { pino } from 'pino';
import { prettyDestination } from './log-pretty.js';

export type Logger = pino.Logger;

/** Paths whose values never reach a log line, wherever they appear in a logged object. */
const REDACT = [
  'secret',
  'appSecret',
  'secretAccessKey',
  'encryptKey',
  'verificationToken',
  '*.secret',
  '*.appSecret',
  '*.secretAccessKey',
  '*.encryptKey',
  '*.verificationToken',
  'headers.authorization',
  'headers.Authorization',
];

export interface LoggerOptions {
  level?: string;
  destination?: pino.DestinationStream;
  /**
   * One short human-readable line per event (time, level, component, message, key fields) instead of
   * JSON: the sandbox's terminal. Written to `destination`, else stdout. Production keeps JSON.
   */
  pretty?: boolean | { color?: boolean };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const opts = { level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' } };
  if (options.pretty) {
    const out = options.destination ?? process.stdout;
    const color =
      typeof options.pretty === 'object' && options.pretty.color !== undefined
        ? options.pretty.color
        : out === process.stdout && process.stdout.isTTY === true && !process.env.NO_COLOR;
    return pino(opts, prettyDestination(out, { color }));
  }
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

/** A logger that drops everything: the default for components used as libraries and in tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
