import type { AdminAction, AdminResult, QuotaPolicy, QuotaState } from '../port.js';
import { userLimitOf } from '../quota-rule.js';
import type { AdminLogEntry, LedgerEntry } from '../records.js';
import type { State } from './state.js';

export function quotaStateOf(s: State, q: { user: string; chat: string; day: string }): QuotaState {
  const d = s.data;
  const usage = d.usage[q.day];
  const state: QuotaState = {
    used: usage?.users[q.user] ?? 0,
    extraToday: d.extras[`${q.day}|${q.user}`] ?? 0,
    chatUsed: usage?.chats[q.chat] ?? 0,
    spentYuan: usage?.yuan ?? 0,
    inFlight: s.activeByUser.get(q.user) ?? 0,
    paused: d.paused ? { ...d.paused } : null,
  };
  const userLimit = d.userLimits[q.user];
  if (userLimit !== undefined) state.userLimit = userLimit;
  if (d.chatLimit !== null) state.chatLimit = d.chatLimit;
  return state;
}

export function admin(
  s: State,
  action: AdminAction,
  by: string,
  policy: QuotaPolicy,
  now: number,
): AdminResult {
  const d = s.data;
  const entry: AdminLogEntry = { by, action: action.kind, at: now };
  let changed = true;
  let limitToday: number | undefined;
  switch (action.kind) {
    case 'quota_set':
      s.setMeta('userLimits', { ...d.userLimits, [action.user]: action.perDay });
      Object.assign(entry, { target: action.user, n: action.perDay });
      break;
    case 'quota_add': {
      const key = `${action.day}|${action.user}`;
      s.setMeta('extras', { ...d.extras, [key]: (d.extras[key] ?? 0) + action.n });
      Object.assign(entry, { target: action.user, n: action.n, day: action.day });
      limitToday = userLimitOf(
        {
          ...(d.userLimits[action.user] !== undefined ? { userLimit: d.userLimits[action.user] } : {}),
          extraToday: d.extras[key] ?? 0,
        },
        policy,
      );
      break;
    }
    case 'quota_chat':
      s.setMeta('chatLimit', action.n);
      entry.n = action.n;
      break;
    case 'pause':
      s.setMeta('paused', { reason: action.reason, by, at: now });
      entry.reason = action.reason;
      break;
    case 'resume':
      changed = d.paused !== null;
      if (changed) s.setMeta('paused', null);
      break;
  }
  if (changed) s.logAdmin(entry);
  return { entry, changed, ...(limitToday !== undefined ? { limitToday } : {}) };
}

export function ledgerSince(s: State, since: number): LedgerEntry[] {
  return s.data.ledger.filter((e) => e.at >= since);
}

export function adminLogSince(s: State, since: number): AdminLogEntry[] {
  return s.data.adminLog.filter((e) => e.at >= since);
}
