/** Delay before retry number `attempt` (0-based): doubling from `baseMs`, capped at `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
}
