import type { AccountPool } from '../jimeng/account-pool.js';
import type { StorePort, SubmitAccount } from '../store/port.js';
import { holdsSlot } from '../store/submit-order.js';
import type { JimengAccess } from './jimeng-access.js';

/**
 * The jobs' view of an account pool: each account's slots and models now (the store hands queued jobs to
 * them, least loaded first), the observed client of the account a task belongs to, and the models no
 * account can run any more.
 */
export function poolAccess(pool: AccountPool): JimengAccess {
  return {
    accounts: (): SubmitAccount[] =>
      pool
        .usable()
        .map((a) => ({ name: a.name, maxInFlight: a.slots, ...(a.models ? { models: a.models } : {}) })),
    client: (account) => pool.client(account),
    unrunnable: () => pool.unrunnable(),
  };
}

/** One account as admins see it (/usage): the pool's view plus the tasks it has at Jimeng now. */
export interface AccountView {
  name: string;
  up: boolean;
  /** The whole account is out: the refusal's code (AUTH, SIGNATURE, ACCESS_DENIED) and when it is tried again. */
  refused?: { code: string; until: number };
  /** Models refused with 50400 (req_keys). */
  deniedModels: string[];
  slots: number;
  maxConcurrent: number;
  /** Slots lowered after a 50430 until then. */
  loweredUntil?: number;
  /** Tasks at Jimeng now (submitting, or running without a video). */
  inFlight: number;
}

/** Tasks at Jimeng by account name (a job of an account no longer configured counts on the first one). */
export async function inFlightByAccount(store: StorePort, pool: AccountPool): Promise<Map<string, number>> {
  const names = pool.names;
  const out = new Map<string, number>(names.map((n) => [n, 0]));
  for (const j of await store.jobsIn(['submitting', 'running'])) {
    if (!holdsSlot(j)) continue;
    const name = j.account !== undefined && out.has(j.account) ? j.account : names[0]!;
    out.set(name, out.get(name)! + 1);
  }
  return out;
}

export async function accountViews(store: StorePort, pool: AccountPool): Promise<AccountView[]> {
  const inFlight = await inFlightByAccount(store, pool);
  return pool.status().map((a) => ({
    name: a.name,
    up: a.up,
    ...(a.refused ? { refused: { code: a.refused.code, until: a.refused.until } } : {}),
    deniedModels: Object.keys(a.deniedModels),
    slots: a.slots,
    maxConcurrent: a.maxConcurrent,
    ...(a.loweredUntil !== undefined ? { loweredUntil: a.loweredUntil } : {}),
    inFlight: inFlight.get(a.name) ?? 0,
  }));
}
