import type { QuotaPolicy, QuotaState, Refusal } from './port.js';

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The user's daily videos on that day: the admin's override or the policy's, plus today's extras. */
export function userLimitOf(
  state: Pick<QuotaState, 'userLimit' | 'extraToday'>,
  policy: QuotaPolicy,
): number {
  return (state.userLimit ?? policy.userDailyVideos) + state.extraToday;
}

/** Videos a chat may make a day (0 = no limit). */
export function chatLimitOf(state: Pick<QuotaState, 'chatLimit'>, policy: QuotaPolicy): number {
  return state.chatLimit ?? policy.chatDailyVideos;
}

/**
 * Why a job costing `costYuan` cannot be accepted now, or null. Pure: every store applies it inside the
 * step that reserves, so the numbers it sees are the ones the reservation changes.
 */
export function refusalFor(state: QuotaState, policy: QuotaPolicy, costYuan: number): Refusal | null {
  if (state.paused) return { code: 'PAUSED', reason: state.paused.reason };
  const uLimit = userLimitOf(state, policy);
  if (state.used >= uLimit) return { code: 'USER_DAILY', limit: uLimit, used: state.used };
  const cLimit = chatLimitOf(state, policy);
  if (cLimit > 0 && state.chatUsed >= cLimit)
    return { code: 'CHAT_DAILY', limit: cLimit, used: state.chatUsed };
  if (policy.dailyBudgetYuan > 0 && state.spentYuan + costYuan > policy.dailyBudgetYuan + 1e-9)
    return { code: 'BUDGET', budget: policy.dailyBudgetYuan, spent: round2(state.spentYuan), cost: costYuan };
  if (state.inFlight >= policy.maxInFlightPerUser)
    return { code: 'IN_FLIGHT', limit: policy.maxInFlightPerUser };
  return null;
}
