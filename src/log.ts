import { pino } from 'pino';

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

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const opts = { level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' } };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

/** A logger that drops everything: the default for components used as libraries and in tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
