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

  it('in a burst, tasks after the first skip the quick look: 10 s, or at the expected end when sooner', () => {
    expect(firstLookDelay(priorEstimate(60 * S), o, false)).toBe(10 * S);
    // Nothing observed yet: 0.75 of a short prior; once learnt, the estimate itself.
    expect(firstLookDelay(priorEstimate(8 * S), o, false)).toBe(6 * S);
    expect(firstLookDelay(learn(priorEstimate(60 * S), 5 * S), o, false)).toBe(5 * S);
    expect(firstLookDelay(learn(priorEstimate(60 * S), 1 * S), o, false)).toBe(2 * S);
  });

  it('then looks a little before the expected end, halfway-steps to it, widening steps once late', () => {
    const est = learn(priorEstimate(60 * S), 60 * S);
    expect(nextLookDelay(est, 3 * S, o)).toBe(7 * S); // the second early look, 10 s after submit
    expect(nextLookDelay(est, 10 * S, o)).toBe(35 * S); // to 45 s, 0.75 of the estimate
    expect(nextLookDelay(est, 22 * S, o)).toBe(23 * S); // a first look that came late: no second one
    expect(nextLookDelay(est, 45 * S, o)).toBe(7.5 * S);
    expect(nextLookDelay(est, 52.5 * S, o)).toBe(4 * S);
    // Within 10 % of the end: the next look is at the end (not 4 s steps around it), never under the floor.
    expect(nextLookDelay(est, 55 * S, o)).toBe(5 * S);
    expect(nextLookDelay(est, 58 * S, o)).toBe(2 * S);
    expect(nextLookDelay(est, 59.5 * S, o)).toBe(2 * S);
    expect(nextLookDelay(est, 61 * S, o)).toBe(3 * S);
    expect(nextLookDelay(est, 80 * S, o)).toBe(10 * S);
    expect(nextLookDelay(est, 160 * S, o)).toBe(30 * S);
    // A slow task costs a bounded number of calls: count looks until 180 s, three times the estimate
    // (two early looks, four towards the end, ten widening ones).
    let t = 3 * S;
    let looks = 1;
    while (t < 180 * S) {
      t += nextLookDelay(est, t, o);
      looks++;
    }
    expect(looks).toBeLessThanOrEqual(16);
  });

  it('the scout waits half its age while nothing has been observed; others keep to the prior', () => {
    const prior = priorEstimate(60 * S);
    // At 3 s the floor (2 s); at 6 s 3 s (4 s to the second early look would be later); then half its age.
    expect([3, 6, 12, 24].map((e) => nextLookDelay(prior, e * S, o, true) / S)).toEqual([2, 3, 6, 12]);
    expect(nextLookDelay(prior, 3 * S, o, false)).toBe(7 * S);
    expect(nextLookDelay(prior, 10 * S, o, false)).toBe(35 * S);
    // Once something is known, the scout is an ordinary task.
    expect(nextLookDelay(learn(prior, 5 * S), 3 * S, o, true)).toBe(2 * S);
  });

  it('a scout that outlives the prior keeps looking at short steps (3 s, 2 % of its age); the others widen', () => {
    const prior = priorEstimate(60 * S);
    expect(nextLookDelay(prior, 61 * S, o, true)).toBe(3 * S);
    expect(nextLookDelay(prior, 180 * S, o, true)).toBe(3.6 * S);
    expect(nextLookDelay(prior, 600 * S, o, true)).toBe(12 * S);
    expect(nextLookDelay(prior, 3000 * S, o, true)).toBe(30 * S);
    expect(nextLookDelay(prior, 120 * S, o, false)).toBe(30 * S);
    // A 180 s task under a 60 s prior: the scout sees it done within 3.6 s, in a bounded number of looks.
    let t = 3 * S;
    let looks = 1;
    while (t < 180 * S) {
      t += nextLookDelay(prior, t, o, true);
      looks++;
    }
    expect(t - 180 * S).toBeLessThanOrEqual(3.6 * S);
    expect(looks).toBeLessThanOrEqual(52);
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

  it('with nothing learnt, takes the middle between the last "not yet" and the "done"', () => {
    expect(observedDuration(0, 40 * S, 50 * S)).toBe(45 * S);
    expect(observedDuration(0, undefined, 3 * S)).toBe(1.5 * S);
    expect(observedDuration(0, 40 * S, 50 * S, priorEstimate(60 * S))).toBe(45 * S);
  });

  it('with an estimate, a "done" only moves it when the bracket says it is wrong, both ways', () => {
    const est = learn(priorEstimate(60 * S), 58 * S);
    // Early look at 22 s, "done" at 62.5 s: consistent with 58 s; the middle (42 s) would drag it down.
    expect(observedDuration(0, 22 * S, 62.5 * S, est)).toBe(58 * S);
    expect(learn(est, observedDuration(0, 22 * S, 62.5 * S, est)).ms).toBe(58 * S);
    // Done already at the first look at 20 s: at most 20 s. Not done at 70 s: at least 70 s.
    expect(observedDuration(0, 3 * S, 20 * S, est)).toBe(20 * S);
    expect(observedDuration(0, 70 * S, 75 * S, est)).toBe(70 * S);
    expect(observedDuration(0, undefined, 20 * S, est)).toBe(20 * S);
  });

  it('reschedules waiting tasks when the estimate moves, never later than they were', () => {
    const prior = priorEstimate(60 * S);
    const learnt = learn(prior, 5 * S);
    expect(movedEnough(prior, learnt)).toBe(true);
    expect(movedEnough(learnt, learn(learnt, 5.5 * S))).toBe(false);
    // Submitted 4 s ago, waiting for 45 s: under a 5 s estimate it is due in a second or two.
    expect(rescheduled(0, 45 * S, learnt, o, 4 * S)).toBe(6 * S);
    expect(rescheduled(0, 5 * S, learnt, o, 4 * S)).toBe(5 * S);
    // Older than the new estimate: it should be done, so it is looked at now, or once the shortest wait
    // since its last look has passed.
    const slow = learn(prior, 180 * S);
    expect(rescheduled(0, 200 * S, slow, o, 185 * S)).toBe(185 * S);
    expect(rescheduled(0, 200 * S, slow, o, 185 * S, 184 * S)).toBe(186 * S);
    // 10 s before the expected end (within 10 % of 180 s): looked at when it is expected.
    expect(rescheduled(0, 200 * S, slow, o, 170 * S)).toBe(180 * S);
  });
});
