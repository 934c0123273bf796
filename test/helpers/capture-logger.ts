import { createLogger, type Logger } from '../../src/log.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface CapturedLogs {
  /** The app's own logger (src/log.ts: same redaction), writing JSON lines into `lines`. */
  logger: Logger;
  lines: LogLine[];
  /** Every line as raw JSON text, as it would reach stdout. */
  raw: string[];
}

/** pino level numbers. */
export const LEVEL = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 } as const;

export function captureLogs(level = 'debug'): CapturedLogs {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    level,
    destination: {
      write(s: string) {
        for (const l of s.split('\n').filter(Boolean)) {
          raw.push(l);
          lines.push(JSON.parse(l) as LogLine);
        }
      },
    },
  });
  return { logger, lines, raw };
}
