/**
 * The accounts the simulator knows (AK → SK) and their limits: `qps` (accepted calls over both actions in
 * a sliding 1 s window, per AK) and `maxConcurrentTasks` (unfinished tasks per AK).
 */
import type { JimengSimulatorOptions, SimLimits } from './types.js';

export interface Accounts {
  secretOf(accessKeyId: string): string | undefined;
  limitsOf(accessKeyId: string): Required<SimLimits>;
  setLimits(limits: SimLimits): void;
  /** True if one more call fits in the account's QPS budget (and counts it). */
  admit(accessKeyId: string, now?: number): boolean;
  /** Forgets rate windows and limit changes. */
  reset(): void;
}

export function createAccounts(opts: JimengSimulatorOptions): Accounts {
  const secrets = new Map<string, string>(Object.entries(opts.extraCredentials ?? {}));
  secrets.set(opts.accessKeyId, opts.secretAccessKey);
  const initial = (): Required<SimLimits> => ({
    qps: opts.qps ?? 0,
    maxConcurrentTasks: opts.maxConcurrentTasks ?? 0,
  });

  let limits = initial();
  const windows = new Map<string, number[]>(); // AK → times of accepted calls in the last second

  return {
    secretOf: (ak) => secrets.get(ak),
    limitsOf: () => limits,
    setLimits(l) {
      if (l.qps !== undefined) limits = { ...limits, qps: l.qps };
      if (l.maxConcurrentTasks !== undefined)
        limits = { ...limits, maxConcurrentTasks: l.maxConcurrentTasks };
    },
    admit(ak, now = Date.now()) {
      if (limits.qps <= 0) return true;
      const w = (windows.get(ak) ?? []).filter((t) => now - t < 1000);
      windows.set(ak, w);
      if (w.length >= limits.qps) return false;
      w.push(now);
      return true;
    },
    reset() {
      limits = initial();
      windows.clear();
    },
  };
}
