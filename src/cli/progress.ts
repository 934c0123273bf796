/** The live progress line on stderr while waiting for a task. */
import type { WaitProgress } from '../jimeng/client.js';
import type { CliStream } from './io.js';
import { formatElapsed, statusText } from './texts/status.js';

export interface ProgressReporter {
  update(p: WaitProgress): void;
  end(): void;
}

export function progressReporter(stderr: CliStream): ProgressReporter {
  let lastLen = 0;
  const tty = !!stderr.isTTY;
  return {
    update(p) {
      const status = p.pollError ? `查询失败，继续等待 (${p.pollError.code})` : statusText(p.status);
      const line = `⏳ ${formatElapsed(p.elapsedMs)} ${status}`;
      if (tty) {
        stderr.write(`\r${line}${' '.repeat(Math.max(0, lastLen - line.length))}`);
        lastLen = line.length;
      } else {
        stderr.write(`${line}\n`);
      }
    },
    end() {
      if (tty && lastLen > 0) stderr.write('\n');
      lastLen = 0;
    },
  };
}
