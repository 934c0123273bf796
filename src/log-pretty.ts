/**
 * A pino destination that turns each JSON log line into one short line for a person at a terminal:
 *
 *   12:03:04 INFO  jobs      job submitted  job=J0001 taskId=7392… ms=12
 *
 * time (local), level, `component`, message, then the other fields as key=value (long values cut). An
 * `err` shows as its type and message; at level error and above the first frames of its stack follow,
 * indented. Used by the sandbox (`npm start` without a Feishu app); production logs stay JSON.
 *
 * Why not pino-pretty: it is well kept and runs on Node 20, but it would add a dozen runtime packages to
 * the production image for a development-only view, and prints every field (objects spread over lines)
 * where a short line with the key fields is wanted here.
 */
import type { DestinationStream } from 'pino';

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '\x1b[90m' },
  20: { name: 'DEBUG', color: '\x1b[36m' },
  30: { name: 'INFO', color: '\x1b[32m' },
  40: { name: 'WARN', color: '\x1b[33m' },
  50: { name: 'ERROR', color: '\x1b[31m' },
  60: { name: 'FATAL', color: '\x1b[41m\x1b[37m' },
};
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'component', 'err', 'v']);
const MAX_VALUE = 80;
const STACK_FRAMES = 4;

const pad2 = (n: number) => String(n).padStart(2, '0');

function clock(ms: unknown): string {
  const d = typeof ms === 'number' ? new Date(ms) : new Date();
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function short(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = /[\s="]/.test(v) || v === '' ? JSON.stringify(v) : v;
  else if (v === null || typeof v !== 'object') s = String(v);
  else s = JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

interface LoggedError {
  type?: string;
  message?: string;
  stack?: string;
  code?: unknown;
}

/** One JSON log line → the human line (with a trailing newline). Lines that are not JSON pass through. */
export function formatLogLine(line: string, opts: { color?: boolean } = {}): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const c = opts.color === true;
  const level = LEVELS[Number(rec.level)] ?? { name: String(rec.level ?? '?').toUpperCase(), color: '' };
  const component = typeof rec.component === 'string' ? rec.component : '';
  const fields = Object.entries(rec)
    .filter(([k, v]) => !OMIT.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${short(v)}`);
  const err = rec.err as LoggedError | undefined;
  if (err && typeof err === 'object') {
    const code = err.code !== undefined ? ` (${String(err.code)})` : '';
    fields.unshift(`err=${short(`${err.type ?? 'Error'}: ${err.message ?? ''}${code}`)}`);
  }
  const parts = [
    c ? `${DIM}${clock(rec.time)}${RESET}` : clock(rec.time),
    c ? `${level.color}${level.name.padEnd(5)}${RESET}` : level.name.padEnd(5),
    c ? `${DIM}${component.padEnd(10)}${RESET}` : component.padEnd(10),
    String(rec.msg ?? ''),
  ];
  let out = parts.join(' ').trimEnd();
  if (fields.length) out += c ? `  ${DIM}${fields.join(' ')}${RESET}` : `  ${fields.join(' ')}`;
  if (err?.stack && Number(rec.level) >= 50) {
    const frames = err.stack
      .split('\n')
      .filter((l) => l.trimStart().startsWith('at '))
      .slice(0, STACK_FRAMES);
    for (const f of frames) out += `\n    ${f.trim()}`;
  }
  return `${out}\n`;
}

/** A pino destination writing formatLogLine() of every line to `out`. */
export function prettyDestination(
  out: { write(s: string): unknown },
  opts: { color?: boolean } = {},
): DestinationStream {
  return { write: (line: string) => void out.write(formatLogLine(line, opts)) };
}
