import type { Logger } from '../log.js';

/**
 * Logs dropped deliveries without letting a flood of them flood the log: the first of a kind at once,
 * then at most one line a minute with how many were dropped meanwhile.
 */
export class DropLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  drop(reason: string, fields: Record<string, unknown>, message: string): void {
    const at = this.now();
    const seen = this.last.get(reason);
    if (seen && at - seen.at < 60_000) {
      seen.suppressed++;
      return;
    }
    this.last.set(reason, { at, suppressed: 0 });
    this.log.warn(
      { reason, ...fields, ...(seen?.suppressed ? { alsoDropped: seen.suppressed } : {}) },
      message,
    );
  }
}
