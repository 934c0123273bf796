import type { SubmitAccount } from './port.js';
import type { Job } from './records.js';

/** A job that holds a slot at Jimeng: being submitted, or running without a video yet. */
export const holdsSlot = (j: Job): boolean =>
  j.state === 'submitting' || (j.state === 'running' && !j.videoUrl);

/** Whether some account has a slot the jobs at Jimeng leave free (if not, no queued job can go now). */
export function hasFreeSlot(atJimeng: readonly Job[], accounts: readonly SubmitAccount[]): boolean {
  const load = new Map<string, number>();
  for (const j of atJimeng) {
    const name =
      j.account !== undefined && accounts.some((a) => a.name === j.account) ? j.account : accounts[0]?.name;
    if (name !== undefined) load.set(name, (load.get(name) ?? 0) + 1);
  }
  return accounts.some((a) => (load.get(a.name) ?? 0) < a.maxInFlight);
}

export interface SubmitPick {
  job: Job;
  account: string;
}

/**
 * Which queued jobs go to Jimeng now, and on which account: the fairness and slot rules every store
 * applies inside its claim step. Pure.
 *
 * - Fairness: repeatedly take, among the queued jobs that are due, the oldest job of the user with the
 *   fewest jobs at Jimeng (counting the ones picked in this round), so one user's ten jobs do not keep
 *   everyone else waiting.
 * - Slots: a job goes to an account that can run its model and has a free slot, least loaded first
 *   (ties: the order the accounts are configured in). A job no account can take now waits.
 */
export function pickSubmits(
  queued: readonly Job[],
  atJimeng: readonly Job[],
  accounts: readonly SubmitAccount[],
  now: number,
  limit: number,
): SubmitPick[] {
  const load = new Map<string, number>(accounts.map((a) => [a.name, 0]));
  const byUser = new Map<string, number>();
  for (const j of atJimeng) {
    if (j.account !== undefined && load.has(j.account)) load.set(j.account, load.get(j.account)! + 1);
    byUser.set(j.userOpenId, (byUser.get(j.userOpenId) ?? 0) + 1);
  }
  // A job whose account is unknown (configuration changed) still holds a slot somewhere: count it on
  // the first account, so a shrunken pool does not overshoot.
  const orphans = atJimeng.filter((j) => j.account === undefined || !load.has(j.account)).length;
  if (orphans && accounts[0]) load.set(accounts[0].name, load.get(accounts[0].name)! + orphans);

  // Once every slot is taken nothing more can go: stop (skipping each waiting job in turn would cost
  // n² with a long queue, on every wake).
  const anyFree = () => accounts.some((a) => load.get(a.name)! < a.maxInFlight);
  if (!anyFree()) return [];
  const waiting = queued.filter((j) => !j.retryAt || j.retryAt <= now);
  const picks: SubmitPick[] = [];
  const skipped = new Set<Job>();
  while (picks.length < limit && anyFree()) {
    let best: Job | undefined;
    let bestRunning = Number.POSITIVE_INFINITY;
    for (const j of waiting) {
      if (skipped.has(j)) continue;
      const running = byUser.get(j.userOpenId) ?? 0;
      // `waiting` is oldest first, so the first job seen for the lowest count is that user's oldest.
      if (running < bestRunning) {
        best = j;
        bestRunning = running;
      }
    }
    if (!best) break;
    const account = accountFor(best, accounts, load);
    skipped.add(best);
    if (!account) continue;
    load.set(account.name, load.get(account.name)! + 1);
    byUser.set(best.userOpenId, bestRunning + 1);
    picks.push({ job: best, account: account.name });
  }
  return picks;
}

function accountFor(
  job: Job,
  accounts: readonly SubmitAccount[],
  load: ReadonlyMap<string, number>,
): SubmitAccount | undefined {
  let best: SubmitAccount | undefined;
  for (const a of accounts) {
    if (a.models && !a.models.includes(job.reqKey)) continue;
    const used = load.get(a.name) ?? 0;
    if (used >= a.maxInFlight) continue;
    if (!best || used < (load.get(best.name) ?? 0)) best = a;
  }
  return best;
}
