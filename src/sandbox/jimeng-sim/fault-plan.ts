/**
 * The fault plan: one-shot faults (`next`), failure schedules and prompt triggers, and how a new task's
 * outcome (and, for a failure, its code) is decided from them.
 */
import { bizMessage, failureHttpStatus } from './biz-codes.js';
import type { FaultKind, FaultPlan, SimFailure, SimTask } from './types.js';

export const ANY_ACTION_FAULTS: ReadonlySet<FaultKind> = new Set(['qps', '500', 'slow', 'hang']);

export const defaultFaults = (): FaultPlan => ({
  next: [],
  failNextTasks: 0,
  failEveryNth: 0,
  slowMs: 2000,
  promptTriggers: true,
  nullDataOnFailure: true,
  failureCode: 50500,
  earlyFailures: [],
});

/** A fresh plan from the options (arrays copied, so the options are never mutated). */
export function planFrom(partial: Partial<FaultPlan> | undefined): FaultPlan {
  return {
    ...defaultFaults(),
    ...partial,
    next: [...(partial?.next ?? [])],
    earlyFailures: [...(partial?.earlyFailures ?? [])],
  };
}

/** Removes and returns the first one-shot fault matching `pred`. */
export function takeFault(plan: FaultPlan, pred: (k: FaultKind) => boolean): FaultKind | undefined {
  const i = plan.next.findIndex(pred);
  if (i < 0) return undefined;
  return plan.next.splice(i, 1)[0];
}

/** A failure with its defaults filled in. */
export function failureOf(f: SimFailure): Required<SimFailure> {
  return {
    code: f.code,
    httpStatus: f.httpStatus ?? failureHttpStatus(f.code),
    message: f.message ?? bizMessage(f.code),
  };
}

type Outcome = Pick<SimTask, 'outcome' | 'fault' | 'failure' | 'failAfterMs'>;

/** The outcome of a new task, from what was injected and the plan (consumes schedules). */
export function decideOutcome(
  plan: FaultPlan,
  injected: FaultKind | undefined,
  trigger: string,
  createdCount: number,
): Outcome {
  const early = plan.earlyFailures.shift();
  if (early) {
    const { afterMs, ...failure } = early;
    return { outcome: 'fail', fault: 'fail', failure, failAfterMs: afterMs };
  }
  if (injected === 'risk_output' || trigger.includes('RISK_OUTPUT')) {
    return { outcome: 'risk_output', fault: 'risk_output', failure: { code: 50511 } };
  }
  let fail = injected === 'fail' || trigger.includes('FAIL');
  if (!fail && plan.failNextTasks > 0) {
    plan.failNextTasks--;
    fail = true;
  } else if (!fail && plan.failEveryNth > 0 && createdCount % plan.failEveryNth === 0) fail = true;
  return fail ? { outcome: 'fail', fault: 'fail', failure: { code: plan.failureCode } } : { outcome: 'ok' };
}
