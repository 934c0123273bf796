/** What the CLI talks to: environment, streams, fetch, clock. Tests pass fakes; main passes the process. */
import type { FetchLike, JimengClientOptions } from '../jimeng/client.js';

export interface CliStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Time and timers, injectable so progress output can be tested without waiting. */
export interface CliClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: CliStream;
  stderr: CliStream;
  fetch?: FetchLike;
  /** Default: Date.now and the global timers. */
  clock?: CliClock;
  /** Overrides for the client (tests: poll intervals, retry delays, a fake clock's sleep). */
  clientOptions?: Partial<JimengClientOptions>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const systemClock: CliClock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** Line writers: each call is one line (a trailing newline is added when missing). */
export interface Out {
  out(s: string): void;
  err(s: string): void;
}

export function lineWriters(io: CliIo): Out {
  const line = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
  return { out: (s) => void io.stdout.write(line(s)), err: (s) => void io.stderr.write(line(s)) };
}
