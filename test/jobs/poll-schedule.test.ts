import { describe, expect, it } from 'vitest';
import {
  firstLookDelay,
  learn,
  movedEnough,
  nextLookDelay,
  observedDuration,
  priorEstimate,
  rescheduled,
} from '../../src/jobs/poll-schedule.js';

const o = { minPollMs: 2_000 };
const S = 1000;

describe('poll schedule (pure)', () => {
  it('takes an early look a few seconds after submit, sooner when tasks are expected to be quick', () => {
    expect(firstLookDelay(priorEstimate(60 * S), o)).toBe(3 * S);
    expect(firstLookDelay(priorEstimate(2 * S), { minPollMs: 50 })).toBe(1 * S);
    expect(firstLookDelay(priorEstimate(100), { minPollMs: 50 })).toBe(50);
  });

  it('then looks a little before the expected end, halfway-steps to it, widening steps once late', () => {
    const est = learn(priorEstimate(60 * S), 60 * S);
    expect(nextLookDelay(est, 3 * S, o)).toBe(42 * S); // to 45 s, 0.75 of the estimate
    expect(nextLookDelay(est, 45 * S, o)).toBe(7.5 * S);
    expect(nextLookDelay(est, 58 * S, o)).toBe(4 * S);
    expect(nextLookDelay(est, 61 * S, o)).toBe(3 * S);
    expect(nextLookDelay(est, 80 * S, o)).toBe(10 * S);
    expect(nextLookDelay(est, 160 * S, o)).toBe(30 * S);
    // A slow task costs a bounded number of calls: count looks until 180 s.
    let t = 3 * S;
    let looks = 1;
    while (t < 180 * S) {
      t += nextLookDelay(est, t, o);
      looks++;
    }
    expect(looks).toBeLessThanOrEqual(15);
  });

  it('the scout doubles its wait while nothing has been observed; others keep to the prior', () => {
    const prior = priorEstimate(60 * S);
    expect([3, 6, 12, 24].map((e) => nextLookDelay(prior, e * S, o, true) / S)).toEqual([3, 6, 12, 21]);
    expect(nextLookDelay(prior, 3 * S, o, false)).toBe(42 * S);
    // Once something is known, the scout is an ordinary task.
    expect(nextLookDelay(learn(prior, 5 * S), 3 * S, o, true)).toBe(2 * S);
  });

  it('the first observation replaces the prior; later ones move it both ways', () => {
    let est = learn(priorEstimate(60 * S), 5 * S);
    expect(est).toEqual({ ms: 5 * S, observations: 1 });
    est = learn(est, 15 * S);
    expect(est.ms).toBe(8 * S);
    est = learn(est, 2 * S);
    expect(est.ms).toBe(6.2 * S);
    expect(learn(priorEstimate(60 * S), 180 * S).ms).toBe(180 * S);
  });

  it('takes the middle between the last "not yet" and the "done"', () => {
    expect(observedDuration(0, 40 * S, 50 * S)).toBe(45 * S);
    expect(observedDuration(0, undefined, 3 * S)).toBe(1.5 * S);
  });

  it('reschedules waiting tasks when the estimate moves, never later than they were', () => {
    const prior = priorEstimate(60 * S);
    const learnt = learn(prior, 5 * S);
    expect(movedEnough(prior, learnt)).toBe(true);
    expect(movedEnough(learnt, learn(learnt, 5.5 * S))).toBe(false);
    // Submitted 4 s ago, waiting for 45 s: under a 5 s estimate it is due in a second or two.
    expect(rescheduled(0, 45 * S, learnt, o, 4 * S)).toBe(6 * S);
    expect(rescheduled(0, 5 * S, learnt, o, 4 * S)).toBe(5 * S);
  });
});
