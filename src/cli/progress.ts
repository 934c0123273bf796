/**
 * The progress line on stderr while a task runs. It ticks on its own clock, not only when a poll answers:
 * - on a TTY, one line redrawn (\r) every second: elapsed time and the last known status;
 * - otherwise, one line per status change and one every 10 s.
 * Time and timers come from the injected clock, so tests run it on fake time.
 */
import type { WaitProgress } from '../jimeng/client.js';
import type { CliClock, CliStream } from './io.js';
import { formatElapsed, statusText } from './texts/status.js';

export interface ProgressReporter {
  update(p: WaitProgress): void;
  end(): void;
}

export interface ProgressOptions {
  stream: CliStream;
  clock: CliClock;
  /** What is known before the first poll answers ('submitted', or the status a lookup found). */
  initialStatus: string;
  /** Non-TTY heartbeat. Default 10000. */
  heartbeatMs?: number;
}

export function startProgress(opts: ProgressOptions): ProgressReporter {
  const { stream, clock } = opts;
  const tty = !!stream.isTTY;
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const start = clock.now();
  let label = statusText(opts.initialStatus);
  let lastLen = 0;
  let lastPrintedAt = start;

  const line = () => `⏳ ${formatElapsed(clock.now() - start)} ${label}`;
  const draw = () => {
    const text = line();
    if (tty) {
      stream.write(`\r${text}${' '.repeat(Math.max(0, lastLen - text.length))}`);
      lastLen = text.length;
    } else {
      stream.write(`${text}\n`);
    }
    lastPrintedAt = clock.now();
  };

  draw();
  const timer = clock.setInterval(() => {
    if (tty || clock.now() - lastPrintedAt >= heartbeatMs) draw();
  }, 1000);

  return {
    update(p) {
      const next = p.pollError ? `查询失败，继续等待 (${p.pollError.code})` : statusText(p.status);
      const changed = next !== label;
      label = next;
      if (tty || changed) draw();
    },
    end() {
      clock.clearInterval(timer);
      if (tty && lastLen > 0) stream.write('\n');
      lastLen = 0;
    },
  };
}
