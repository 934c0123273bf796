/**
 * When to ask Jimeng about a running task: pure functions of what is known (the learnt generation time,
 * how long the task has run), so the schedule is unit-tested on its own.
 */

export interface ScheduleOptions {
  /** Shortest wait between two polls of one task. */
  minPollMs: number;
}

/** The first look: a little before the task is expected to be done. */
export function firstPollDelay(estimateMs: number, o: ScheduleOptions): number {
  return Math.max(o.minPollMs, Math.round(estimateMs * 0.75));
}

/**
 * The next look after a "not yet": halfway to the expected end (at most 15 s ahead) while it is expected,
 * then every 3 s for two minutes, every 10 s up to ten minutes late, every 30 s after that.
 */
export function nextPollDelay(estimateMs: number, elapsedMs: number, o: ScheduleOptions): number {
  const remaining = estimateMs - elapsedMs;
  const floor = o.minPollMs;
  if (remaining > 0) return Math.max(floor, Math.min(remaining / 2, 15_000));
  const late = -remaining;
  if (late < 2 * 60_000) return Math.max(floor, 3_000);
  if (late < 10 * 60_000) return Math.max(floor, 10_000);
  return Math.max(floor, 30_000);
}

/**
 * How long a task took: it finished between the last "not yet" and the "done", so take the middle (a
 * late poll, the budget being shared, must not teach the estimate that generation is slower than it is).
 */
export function observedDuration(
  submittedAt: number,
  lastNotDoneAt: number | undefined,
  doneSeenAt: number,
): number {
  return (lastNotDoneAt === undefined ? doneSeenAt : (lastNotDoneAt + doneSeenAt) / 2) - submittedAt;
}

/** The estimate after one more finished task (an exponentially weighted average). */
export function learnEstimate(estimateMs: number, tookMs: number): number {
  return Math.round(estimateMs * 0.7 + tookMs * 0.3);
}
