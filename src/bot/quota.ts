import type { Job, LedgerEntry, StoreData } from '../store/schema.js';

export interface QuotaPolicy {
  userDailyVideos: number;
  /** 0 = no per-chat limit unless an admin set one with `/quota chat`. */
  chatDailyVideos: number;
  /** 0 = no budget. */
  dailyBudgetYuan: number;
  maxInFlightPerUser: number;
}

export type QuotaRefusal =
  | { code: 'PAUSED'; reason: string }
  | { code: 'USER_DAILY'; limit: number; used: number }
  | { code: 'CHAT_DAILY'; limit: number; used: number }
  | { code: 'BUDGET'; budget: number; spent: number; cost: number }
  | { code: 'IN_FLIGHT'; limit: number };

export interface QuotaRequest {
  user: string;
  chat: string;
  day: string;
  yuan: number;
  inFlight: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function usageOf(data: StoreData, day: string) {
  data.usage[day] ??= { users: {}, chats: {}, yuan: 0 };
  return data.usage[day];
}

export function userLimit(data: StoreData, policy: QuotaPolicy, user: string, day: string): number {
  return (data.userLimits[user] ?? policy.userDailyVideos) + (data.extras[`${day}|${user}`] ?? 0);
}

export function chatLimit(data: StoreData, policy: QuotaPolicy): number {
  return data.chatLimit ?? policy.chatDailyVideos;
}

export function usedToday(data: StoreData, user: string, day: string): number {
  return data.usage[day]?.users[user] ?? 0;
}

/** Why a request cannot be accepted now, or null. Pure: reserve() must follow in the same tick. */
export function checkQuota(data: StoreData, policy: QuotaPolicy, req: QuotaRequest): QuotaRefusal | null {
  if (data.paused) return { code: 'PAUSED', reason: data.paused.reason };
  const usage = data.usage[req.day];
  const used = usage?.users[req.user] ?? 0;
  const uLimit = userLimit(data, policy, req.user, req.day);
  if (used >= uLimit) return { code: 'USER_DAILY', limit: uLimit, used };
  const cLimit = chatLimit(data, policy);
  const chatUsed = usage?.chats[req.chat] ?? 0;
  if (cLimit > 0 && chatUsed >= cLimit) return { code: 'CHAT_DAILY', limit: cLimit, used: chatUsed };
  const spent = usage?.yuan ?? 0;
  if (policy.dailyBudgetYuan > 0 && spent + req.yuan > policy.dailyBudgetYuan + 1e-9)
    return { code: 'BUDGET', budget: policy.dailyBudgetYuan, spent: round2(spent), cost: req.yuan };
  if (req.inFlight >= policy.maxInFlightPerUser)
    return { code: 'IN_FLIGHT', limit: policy.maxInFlightPerUser };
  return null;
}

function ledgerFor(data: StoreData, job: Job): LedgerEntry | undefined {
  for (let i = data.ledger.length - 1; i >= 0; i--)
    if (data.ledger[i]!.jobId === job.id) return data.ledger[i];
  return undefined;
}

/** Takes one video and the job's cost from today's allowance and opens its ledger entry. */
export function reserve(data: StoreData, job: Job, now: number): void {
  const u = usageOf(data, job.day);
  u.users[job.userOpenId] = (u.users[job.userOpenId] ?? 0) + 1;
  u.chats[job.chatId] = (u.chats[job.chatId] ?? 0) + 1;
  u.yuan = round2(u.yuan + job.costYuan);
  job.charge = 'reserved';
  data.ledger.push({
    jobId: job.id,
    user: job.userOpenId,
    chat: job.chatId,
    model: job.reqKey,
    seconds: job.duration,
    yuan: job.costYuan,
    outcome: 'reserved',
    at: now,
  });
}

/** The task exists at Jimeng: the reservation becomes a charge. */
export function consume(data: StoreData, job: Job, now: number): void {
  job.charge = 'consumed';
  const e = ledgerFor(data, job);
  if (e) Object.assign(e, { outcome: 'charged', at: now });
}

export function markDelivered(data: StoreData, job: Job, now: number): void {
  const e = ledgerFor(data, job);
  if (e) Object.assign(e, { outcome: 'delivered', at: now });
}

/** Gives the video and its cost back (no video came to exist). Idempotent. */
export function refund(
  data: StoreData,
  job: Job,
  now: number,
  outcome: 'refunded' | 'uncertain' = 'refunded',
): void {
  if (job.charge === 'refunded') return;
  const u = usageOf(data, job.day);
  u.users[job.userOpenId] = Math.max(0, (u.users[job.userOpenId] ?? 0) - 1);
  u.chats[job.chatId] = Math.max(0, (u.chats[job.chatId] ?? 0) - 1);
  u.yuan = Math.max(0, round2(u.yuan - job.costYuan));
  job.charge = 'refunded';
  const e = ledgerFor(data, job);
  if (e) Object.assign(e, { outcome, at: now });
}
