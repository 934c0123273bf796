import type { AdminAction, AdminResult, QuotaPolicy, QuotaState } from '../port.js';
import { userLimitOf } from '../quota-rule.js';
import type { AdminLogEntry, ChatFacts, LedgerEntry, Pause } from '../records.js';
import type { Db, Query } from './db.js';
import { toJson } from './json-codec.js';
import {
  ADD_EXTRA,
  ADMIN_LOG_SINCE,
  CHAT_FACTS,
  DROP_SETTING,
  LEDGER_SINCE,
  LOG_ADMIN,
  PAUSED,
  PUT_SETTING,
  QUOTA_STATE,
  SET_CHAT_FACTS,
  SET_USER_LIMIT,
} from './sql/quota.js';

/** A row of the QUOTA_STATE(S) queries. */
export interface QuotaRow {
  used: number | null;
  user_limit: number | null;
  extra_today: number | null;
  chat_used: number | null;
  chat_limit: number | null;
  spent_yuan: number | null;
  in_flight: number;
  paused: Pause | null;
}

/** The quota state as one snapshot: `q` is the pool, or the transaction of a createJob that holds the locks. */
export async function readQuotaState(
  q: Query,
  k: { user: string; chat: string; day: string },
): Promise<QuotaState> {
  return quotaStateOf((await q<QuotaRow>(QUOTA_STATE, [k.day, k.user, k.chat])).rows[0]!);
}

/** The port's QuotaState from a quota row (absent limits stay absent: the policy's apply). */
export function quotaStateOf(r: QuotaRow): QuotaState {
  const state: QuotaState = {
    used: r.used ?? 0,
    extraToday: r.extra_today ?? 0,
    chatUsed: r.chat_used ?? 0,
    spentYuan: r.spent_yuan ?? 0,
    inFlight: r.in_flight,
    paused: r.paused,
  };
  if (r.user_limit !== null) state.userLimit = r.user_limit;
  if (r.chat_limit !== null) state.chatLimit = r.chat_limit;
  return state;
}

export function admin(
  db: Db,
  action: AdminAction,
  by: string,
  policy: QuotaPolicy,
  now: number,
): Promise<AdminResult> {
  return db.tx(async (q) => {
    const entry: AdminLogEntry = { by, action: action.kind, at: now };
    let changed = true;
    let limitToday: number | undefined;
    switch (action.kind) {
      case 'quota_set':
        await q(SET_USER_LIMIT, [action.user, action.perDay]);
        Object.assign(entry, { target: action.user, n: action.perDay });
        break;
      case 'quota_add': {
        const r = (
          await q<{ extra: number; user_limit: number | null }>(ADD_EXTRA, [
            action.day,
            action.user,
            action.n,
          ])
        ).rows[0]!;
        Object.assign(entry, { target: action.user, n: action.n, day: action.day });
        const override = r.user_limit !== null ? { userLimit: r.user_limit } : {};
        limitToday = userLimitOf({ ...override, extraToday: r.extra }, policy);
        break;
      }
      case 'quota_chat':
        await q(PUT_SETTING, ['chatLimit', toJson(action.n)]);
        entry.n = action.n;
        break;
      case 'pause':
        await q(PUT_SETTING, ['paused', toJson({ reason: action.reason, by, at: now })]);
        entry.reason = action.reason;
        break;
      case 'resume':
        changed = (await q(DROP_SETTING, ['paused'])).rowCount === 1;
        break;
    }
    if (changed) await q(LOG_ADMIN, [now, toJson(entry)]);
    return { entry, changed, ...(limitToday !== undefined ? { limitToday } : {}) };
  });
}

export async function paused(db: Db): Promise<Pause | null> {
  return (await db.query<{ value: Pause }>(PAUSED)).rows[0]?.value ?? null;
}

interface LedgerRow {
  job_id: string;
  user_open_id: string;
  chat_id: string;
  model: string;
  seconds: number;
  yuan: number;
  outcome: LedgerEntry['outcome'];
  at: number;
}

export async function ledgerSince(db: Db, since: number): Promise<LedgerEntry[]> {
  const { rows } = await db.query<LedgerRow>(LEDGER_SINCE, [since]);
  return rows.map((r) => ({
    jobId: r.job_id,
    user: r.user_open_id,
    chat: r.chat_id,
    model: r.model,
    seconds: r.seconds,
    yuan: r.yuan,
    outcome: r.outcome,
    at: r.at,
  }));
}

export async function adminLogSince(db: Db, since: number): Promise<AdminLogEntry[]> {
  return (await db.query<{ entry: AdminLogEntry }>(ADMIN_LOG_SINCE, [since])).rows.map((r) => r.entry);
}

export async function chatFacts(db: Db, chatId: string): Promise<ChatFacts> {
  return (await db.query<{ facts: ChatFacts }>(CHAT_FACTS, [chatId])).rows[0]?.facts ?? {};
}

export async function setChatFacts(db: Db, chatId: string, facts: ChatFacts): Promise<void> {
  await db.query(SET_CHAT_FACTS, [chatId, toJson(facts)]);
}
