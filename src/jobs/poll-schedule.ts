/**
 * When to ask Jimeng about a running task: pure functions of what is known (the generation time learnt
 * so far, how long the task has run), so the schedule is unit-tested on its own.
 *
 * - An early look a few seconds after submit: it tells the card whether the task is queued or generating
 *   at Jimeng, and catches a task that fails at once (a failure is answered in seconds, not minutes);
 *   a second one about 10 s after submit catches a task whose inputs are refused a few seconds in. In a
 *   burst only one task in 10 s gets the quick look; the others' first look is the 10 s one (each look is
 *   a slot of the account's shared QPS, and two per task put every look far behind).
 * - Then a look a little before the task is expected to be done, halfway-steps to the expected end, and
 *   widening steps once it is late (so a slow task costs a bounded number of calls).
 * - The estimate starts as a prior (configuration) and is replaced by the first real observation, then
 *   follows observations both ways (a fresh bot must learn fast that tasks take 5 s, or 3 minutes).
 * - While nothing has been observed, one task (the scout) looks at steps of half its age, so the first
 *   answer comes early whatever the prior says, and once it has outlived the prior it keeps looking at
 *   short steps (3 s, or 2 % of its age) while the others widen theirs: its "done" teaches the rest, so
 *   its lateness is every task's (at 1 QPS the others' looks leave no slack to catch up).
 *   When the estimate moves, every task is rescheduled (one the new estimate says is done: at once).
 */

export interface ScheduleOptions {
  /** Shortest wait between two looks at one task. */
  minPollMs: number;
  /** The early look after submit. Default 3 s. */
  earlyLookMs?: number;
}

export interface Estimate {
  ms: number;
  /** Finished tasks it is based on (0: still the prior). */
  observations: number;
}

/** Steps towards the expected end are at least this long (10 % of the estimate for short tasks). */
const NEAR_MIN_MS = 4_000;
const LATE_MIN_MS = 3_000;
const LATE_MAX_MS = 30_000;
/** The scout's next wait as a share of its age, while it is younger than the prior. */
const SCOUT_GROWTH = 0.5;
/** The scout's steps once it has outlived the prior, as a share of its age (between the late bounds). */
const SCOUT_LATE_SHARE = 0.02;
/** This close to the expected end (share of the estimate), the next look is at the end, not before it. */
const AT_END_SHARE = 0.1;
/** The second early look, this long after submit (when the first came sooner and nothing is due before). */
export const SECOND_LOOK_MS = 10_000;

export function priorEstimate(ms: number): Estimate {
  return { ms, observations: 0 };
}

/** The estimate after one more finished task: the first replaces the prior, later ones weigh 30 %. */
export function learn(est: Estimate, tookMs: number): Estimate {
  const took = Math.max(1, tookMs);
  if (est.observations === 0) return { ms: Math.round(took), observations: 1 };
  return { ms: Math.round(est.ms * 0.7 + took * 0.3), observations: est.observations + 1 };
}

/**
 * The early look: a few seconds after submit (sooner when tasks are expected to take less than that).
 * Not `quick` (other tasks just had one): at the second early look's time, 10 s, or sooner for short tasks.
 */
export function firstLookDelay(est: Estimate, o: ScheduleOptions, quick = true): number {
  // Once tasks have been seen finishing, a look before the expected end is a slot spent for nothing.
  if (!quick) return Math.max(o.minPollMs, Math.min(SECOND_LOOK_MS, est.ms * (est.observations ? 1 : 0.75)));
  return Math.max(o.minPollMs, Math.min(o.earlyLookMs ?? 3_000, est.ms * 0.5));
}

/** The next look after a "not yet", `elapsedMs` after submit. */
export function nextLookDelay(est: Estimate, elapsedMs: number, o: ScheduleOptions, scout = false): number {
  const floor = o.minPollMs;
  // A failure a few seconds in (inputs refused) is answered within seconds too, not at the 0.75 look.
  const secondLook = elapsedMs < SECOND_LOOK_MS ? Math.max(floor, SECOND_LOOK_MS - elapsedMs) : Infinity;
  // Nothing observed yet: the scout looks at growing steps up to the prior's schedule.
  const byEstimate = Math.min(secondLook, estimateDelay(est.ms, elapsedMs, floor));
  if (scout && est.observations === 0) {
    // Past the prior with nothing learnt: the prior is wrong, and only a "done" tells by how much.
    if (elapsedMs >= est.ms)
      return Math.max(floor, Math.min(LATE_MAX_MS, Math.max(LATE_MIN_MS, elapsedMs * SCOUT_LATE_SHARE)));
    // Steps of half its age (3, 5, 7.5, 10, 15, 22.5 s … after a 3 s first look, 2 s floor): the first
    // "done" teaches every task, so it pays to find it soon; only the scout pays for it.
    return Math.max(floor, Math.min(byEstimate, elapsedMs * SCOUT_GROWTH));
  }
  return byEstimate;
}

function estimateDelay(estimateMs: number, elapsedMs: number, floor: number): number {
  const before = estimateMs * 0.75 - elapsedMs;
  if (before > 0) return Math.max(floor, before);
  const remaining = estimateMs - elapsedMs;
  // Close to the end: one look when it is expected (looks just before it only cost the shared budget).
  if (remaining > 0 && remaining <= estimateMs * AT_END_SHARE) return Math.max(floor, remaining);
  if (remaining > 0)
    return Math.max(floor, Math.min(NEAR_MIN_MS, estimateMs * 0.1), Math.min(remaining / 2, 15_000));
  // Late: widening steps, half the lateness, between 3 s and 30 s.
  const late = -remaining;
  return Math.max(floor, Math.min(LATE_MAX_MS, Math.max(LATE_MIN_MS, late * 0.5)));
}

/**
 * How long a task took: it finished between the last "not yet" (or the submit) and the "done". With
 * nothing learnt yet, take the middle (a late look, the budget being shared, must not teach the estimate
 * that generation is slower than it is). With an estimate, the bracket only says whether it is wrong:
 * the estimate clipped into it (a bracket that holds the estimate leaves it where it is; the middle of a
 * wide bracket, e.g. from the early look to a look at the expected end, would drag it down every time).
 */
export function observedDuration(
  submittedAt: number,
  lastNotDoneAt: number | undefined,
  doneSeenAt: number,
  est?: Estimate,
): number {
  const lower = (lastNotDoneAt ?? submittedAt) - submittedAt;
  const upper = doneSeenAt - submittedAt;
  if (!est || est.observations === 0) return (lower + upper) / 2;
  return Math.min(upper, Math.max(lower, est.ms));
}

/** Whether the estimate moved enough that waiting tasks should be rescheduled. */
export function movedEnough(before: Estimate, after: Estimate): boolean {
  return before.observations === 0 || Math.abs(after.ms - before.ms) > before.ms * 0.25;
}

/**
 * When a running task should be looked at under a new estimate (never later than it already is): one the
 * estimate says is done by now, as soon as the shortest wait allows.
 */
export function rescheduled(
  submittedAt: number,
  nextPollAt: number,
  est: Estimate,
  o: ScheduleOptions,
  now: number,
  lastLookAt = submittedAt,
): number {
  const elapsed = now - submittedAt;
  // Done by the new estimate: look now, unless this task was looked at less than the shortest wait ago.
  const wait =
    elapsed >= est.ms
      ? Math.max(0, lastLookAt + o.minPollMs - now)
      : estimateDelay(est.ms, elapsed, o.minPollMs);
  return Math.min(nextPollAt, now + wait);
}
