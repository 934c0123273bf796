/**
 * Several Volcengine accounts used as one: a client per account (each with its own rate budget), and what
 * each account's answers say about it.
 *
 * - 50430 (concurrency limit): the account runs fewer tasks than configured (another user of the same
 *   account, or a lower limit than we were told): its slots are halved (never below 1) for `busyCooldownMs`,
 *   then restored.
 * - Credentials refused (AUTH, SIGNATURE) or the whole service refused at the gateway: the account is out
 *   of rotation; a 50400 for one model takes it out for that model only. Logged once with the account's
 *   name (never a key). After `refusedRetryMs` it gets one more try; a success brings it back.
 *
 * Nothing here knows about jobs: the job layer asks which accounts have slots for which models.
 */
import type { Logger } from '../log.js';
import type { JimengClient } from './client.js';
import { isJimengError, type JimengError } from './errors.js';
import { type CallOutcome, observedClient, type PoolClient } from './pool-client.js';

export type { PoolClient } from './pool-client.js';

export interface PoolMember {
  name: string;
  client: JimengClient;
  /** Tasks at once this account may run (configured). */
  maxConcurrent: number;
  /** req_keys it may run (configured); undefined = every model of the catalog. */
  models?: readonly string[];
}

export interface AccountPoolOptions {
  accounts: readonly PoolMember[];
  now?: () => number;
  logger?: Logger;
  /** How long slots stay lowered after a 50430. Default 5 min. */
  busyCooldownMs?: number;
  /** How long a refused account (or model) stays out before one more try. Default 30 min. */
  refusedRetryMs?: number;
}

/** Why an account, or one model of it, is out of rotation: the refusal's code. */
export interface Refusal {
  code: string;
  gatewayCode?: string;
  since: number;
  /** It gets another try from then on. */
  until: number;
}

/** What `/usage` and `/metrics` show of one account. */
export interface AccountStatus {
  name: string;
  /** In rotation for at least one model. */
  up: boolean;
  /** The whole account is out (credentials refused). */
  refused?: Refusal;
  /** Models refused (50400) by req_key. */
  deniedModels: Record<string, Refusal>;
  /** Slots now (lowered after a 50430), and configured. */
  slots: number;
  maxConcurrent: number;
  /** When lowered slots are restored. */
  loweredUntil?: number;
  /** Configured models (undefined = all). */
  models?: readonly string[];
}

/** An account's slots and models now, for the submit queue. */
export interface UsableAccount {
  name: string;
  /** 0 while the account is out of rotation. */
  slots: number;
  /** req_keys it may run now; undefined = all. */
  models?: readonly string[];
}

interface Member extends PoolMember {
  slots: number;
  loweredUntil?: number;
  refused?: Refusal;
  denied: Map<string, Refusal>;
  /** Refusals since the last success (only the first is logged at error level). */
  refusals: number;
  observed: PoolClient;
}

const AUTH_CODES = new Set(['AUTH', 'SIGNATURE']);

/** An answer that says this account (not the request, not the moment) cannot run the job. */
export function isAccountRefusal(e: unknown): e is JimengError {
  return isJimengError(e) && (AUTH_CODES.has(e.code) || e.code === 'ACCESS_DENIED');
}

export class AccountPool {
  private readonly members: Member[];
  private readonly byName = new Map<string, Member>();
  private readonly now: () => number;
  private readonly log: Logger | undefined;
  private readonly busyCooldownMs: number;
  private readonly refusedRetryMs: number;
  private readonly allModels: readonly string[];
  private readonly unknownNames = new Set<string>();

  constructor(o: AccountPoolOptions) {
    if (!o.accounts.length) throw new RangeError('an account pool needs at least one account');
    this.now = o.now ?? Date.now;
    this.log = o.logger;
    this.busyCooldownMs = o.busyCooldownMs ?? 5 * 60_000;
    this.refusedRetryMs = o.refusedRetryMs ?? 30 * 60_000;
    this.allModels = o.accounts[0]!.client.catalog.list().map((m) => m.reqKey);
    this.members = o.accounts.map((a) => {
      const m: Member = {
        ...a,
        maxConcurrent: Math.max(1, Math.floor(a.maxConcurrent)),
        slots: Math.max(1, Math.floor(a.maxConcurrent)),
        denied: new Map(),
        refusals: 0,
        observed: undefined as unknown as PoolClient,
      };
      m.observed = observedClient(a.client, (model, outcome) => this.report(m.name, model, outcome));
      return m;
    });
    for (const m of this.members) {
      if (this.byName.has(m.name)) throw new RangeError(`two accounts are named ${m.name}`);
      this.byName.set(m.name, m);
    }
  }

  get names(): string[] {
    return this.members.map((m) => m.name);
  }

  get size(): number {
    return this.members.length;
  }

  /**
   * The client of an account, its calls observed. A name no account has (a job persisted before the
   * accounts were renamed or the pool existed) goes to the first account, once logged.
   */
  client(name: string | undefined): PoolClient {
    return this.member(name).observed;
  }

  /** The account's own JimengClient (checks, budgets). */
  jimengClient(name: string): JimengClient | undefined {
    return this.byName.get(name)?.client;
  }

  /** Every account in configuration order: its slots now (0 while out of rotation) and models now. */
  usable(): UsableAccount[] {
    const now = this.now();
    return this.members.map((m) => {
      this.expire(m, now);
      if (m.refused) return { name: m.name, slots: 0, models: [] };
      const models = this.modelsOf(m);
      return { name: m.name, slots: m.slots, ...(models ? { models } : {}) };
    });
  }

  /**
   * Models of the catalog no account may run now, each with the code to fail its jobs with:
   * ACCESS_DENIED when some account refused or does not list it, else the credentials' refusal.
   */
  unrunnable(): Map<string, string> {
    const usable = this.usable();
    const out = new Map<string, string>();
    for (const model of this.allModels) {
      if (usable.some((a) => a.slots > 0 && (!a.models || a.models.includes(model)))) continue;
      const auth = this.members.find((m) => m.refused && (!m.models || m.models.includes(model)));
      const denied = this.members.some((m) => m.denied.has(model) || (m.models && !m.models.includes(model)));
      out.set(model, denied || !auth ? 'ACCESS_DENIED' : auth.refused!.code);
    }
    return out;
  }

  status(): AccountStatus[] {
    const now = this.now();
    return this.members.map((m) => {
      this.expire(m, now);
      const models = this.modelsOf(m);
      return {
        name: m.name,
        up: !m.refused && (!models || models.length > 0),
        ...(m.refused ? { refused: { ...m.refused } } : {}),
        deniedModels: Object.fromEntries([...m.denied].map(([k, v]) => [k, { ...v }])),
        slots: m.refused ? 0 : m.slots,
        maxConcurrent: m.maxConcurrent,
        ...(m.loweredUntil !== undefined ? { loweredUntil: m.loweredUntil } : {}),
        ...(m.models ? { models: [...m.models] } : {}),
      };
    });
  }

  /** An answer of one account (a thrown error or a call that worked), for `model`. */
  report(name: string | undefined, model: string, outcome: CallOutcome): void {
    const m = this.member(name);
    const now = this.now();
    if ('ok' in outcome) {
      this.worked(m, model);
      return;
    }
    const e = outcome.error;
    if (isJimengError(e) && e.code === 'CONCURRENCY_LIMIT') this.lower(m, now);
    if (!isAccountRefusal(e)) return;
    const refusal: Refusal = {
      code: e.code,
      ...(e.gatewayCode ? { gatewayCode: e.gatewayCode } : {}),
      since: now,
      until: now + this.refusedRetryMs,
    };
    // 50400 from the service is about one model; a refusal at the gateway is about the account.
    const perModel = e.code === 'ACCESS_DENIED' && e.gatewayCode === undefined;
    if (perModel) m.denied.set(model, refusal);
    else m.refused = refusal;
    m.refusals++;
    const what = perModel
      ? `refused model ${model} (${e.code}${e.jimengCode ? ` ${e.jimengCode}` : ''}): not used for that model`
      : `refused the credentials (${e.code}${e.gatewayCode ? ` ${e.gatewayCode}` : ''}): out of rotation`;
    const line = `Jimeng account ${m.name} ${what} for ${Math.round(this.refusedRetryMs / 60_000)} min; its jobs go to the other accounts`;
    const fields = {
      account: m.name,
      code: e.code,
      gatewayCode: e.gatewayCode,
      model: perModel ? model : undefined,
    };
    if (m.refusals === 1) this.log?.error(fields, line);
    else this.log?.debug(fields, `${line} (again)`);
  }

  private worked(m: Member, model: string): void {
    const wasOut = m.refused !== undefined || m.denied.has(model);
    if (!wasOut && m.refusals === 0) return;
    m.refused = undefined;
    m.denied.delete(model);
    if (m.denied.size === 0) m.refusals = 0;
    if (wasOut) this.log?.info({ account: m.name, model }, `Jimeng account ${m.name} works again`);
  }

  private lower(m: Member, now: number): void {
    const slots = Math.max(1, Math.floor(m.slots / 2));
    const first = m.loweredUntil === undefined;
    m.slots = slots;
    m.loweredUntil = now + this.busyCooldownMs;
    if (first)
      this.log?.warn(
        { account: m.name, slots, maxConcurrent: m.maxConcurrent },
        `Jimeng account ${m.name} answered 50430 (concurrency limit): ${slots} task(s) at once for ${Math.round(this.busyCooldownMs / 60_000)} min`,
      );
  }

  private expire(m: Member, now: number): void {
    if (m.loweredUntil !== undefined && now >= m.loweredUntil) {
      m.loweredUntil = undefined;
      m.slots = m.maxConcurrent;
    }
    if (m.refused && now >= m.refused.until) m.refused = undefined;
    for (const [model, r] of m.denied) if (now >= r.until) m.denied.delete(model);
  }

  private modelsOf(m: Member): readonly string[] | undefined {
    if (!m.denied.size) return m.models;
    return (m.models ?? this.allModels).filter((k) => !m.denied.has(k));
  }

  private member(name: string | undefined): Member {
    const m = name === undefined ? undefined : this.byName.get(name);
    if (m) return m;
    const first = this.members[0]!;
    const key = name ?? '(none)';
    if (!this.unknownNames.has(key)) {
      this.unknownNames.add(key);
      if (this.members.length > 1)
        this.log?.warn(
          { account: key, using: first.name },
          `no Jimeng account is named ${key} (configuration changed?): its tasks use ${first.name}`,
        );
    }
    return first;
  }
}
