/**
 * The accounts the simulator knows (AK → SK) and each one's limits: `qps` (accepted calls over both
 * actions in a sliding 1 s window) and `maxConcurrentTasks` (its own unfinished tasks). An account without
 * a limit of its own uses the default (the top-level option, changed by `setLimits()` without an AK).
 */
import type { JimengSimulatorOptions, SimLimits } from './types.js';

export interface Accounts {
  secretOf(accessKeyId: string): string | undefined;
  limitsOf(accessKeyId: string): Required<SimLimits>;
  setLimits(limits: SimLimits, accessKeyId?: string): void;
  /** True when the account has not enabled `reqKey` (answered 50400). */
  denies(accessKeyId: string, reqKey: string): boolean;
  /** True if one more call fits in the account's QPS budget (and counts it). */
  admit(accessKeyId: string, now?: number): boolean;
  /** Forgets rate windows and limit changes. */
  reset(): void;
}

function defined(l: SimLimits): SimLimits {
  const out: SimLimits = {};
  if (l.qps !== undefined) out.qps = l.qps;
  if (l.maxConcurrentTasks !== undefined) out.maxConcurrentTasks = l.maxConcurrentTasks;
  return out;
}

export function createAccounts(opts: JimengSimulatorOptions): Accounts {
  const secrets = new Map<string, string>(Object.entries(opts.extraCredentials ?? {}));
  const initialOwn = new Map<string, SimLimits>();
  const denied = new Map<string, ReadonlySet<string>>();
  for (const a of opts.accounts ?? []) {
    secrets.set(a.accessKeyId, a.secretAccessKey);
    initialOwn.set(a.accessKeyId, defined(a));
    if (a.deniedModels?.length) denied.set(a.accessKeyId, new Set(a.deniedModels));
  }
  secrets.set(opts.accessKeyId, opts.secretAccessKey);
  const initialDefaults = (): Required<SimLimits> => ({
    qps: opts.qps ?? 0,
    maxConcurrentTasks: opts.maxConcurrentTasks ?? 0,
  });

  let defaults = initialDefaults();
  let own = new Map(initialOwn);
  const windows = new Map<string, number[]>(); // AK → times of accepted calls in the last second
  const limitsOf = (ak: string): Required<SimLimits> => ({ ...defaults, ...own.get(ak) });

  return {
    secretOf: (ak) => secrets.get(ak),
    denies: (ak, reqKey) => denied.get(ak)?.has(reqKey) ?? false,
    limitsOf,
    setLimits(limits, ak) {
      if (ak === undefined) defaults = { ...defaults, ...defined(limits) };
      else own.set(ak, { ...own.get(ak), ...defined(limits) });
    },
    admit(ak, now = Date.now()) {
      const { qps } = limitsOf(ak);
      if (qps <= 0) return true;
      const w = (windows.get(ak) ?? []).filter((t) => now - t < 1000);
      windows.set(ak, w);
      if (w.length >= qps) return false;
      w.push(now);
      return true;
    },
    reset() {
      defaults = initialDefaults();
      own = new Map(initialOwn);
      windows.clear();
    },
  };
}
