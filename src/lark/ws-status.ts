/** The long connection's state as the bot sees it (one WSClient at a time, restarted when it gives up). */
export type WsState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

export interface WsStatus {
  state: WsState;
  connected: boolean;
  /**
   * Why it is in this state, when that has a cause: the SDK's error for `failed` (e.g.
   * `pullConnectConfig failed: code=514, msg=auth failed`), the lost connection for `reconnecting`.
   */
  reason?: string;
  /** The SDK's last error line while not connected (e.g. `[ws] ws connect failed`). */
  lastError?: string;
  /** When the state last changed (ms). */
  since: number;
  /** Consecutive times a WSClient gave up since the last connection (0 when connected). */
  failures: number;
  /** When the next WSClient starts, while `failed` and retrying (ms). */
  retryAt?: number;
}

export interface Health {
  ok: boolean;
  reason?: string;
}

/** /healthz's view of a status: ok only when connected, otherwise a sentence an operator can act on. */
export function healthOf(s: WsStatus, now: number = Date.now()): Health {
  if (s.connected) return { ok: true };
  const last = s.lastError ? ` (last error: ${s.lastError})` : '';
  switch (s.state) {
    case 'idle':
      return { ok: false, reason: 'Feishu long connection not started' };
    case 'connecting':
      return { ok: false, reason: `connecting to Feishu's long-connection gateway${last}` };
    case 'reconnecting':
      return { ok: false, reason: `Feishu long connection lost, reconnecting${last}` };
    case 'stopped':
      return { ok: false, reason: 'Feishu long connection stopped' };
    default: {
      const retry =
        s.retryAt !== undefined
          ? `; retry ${s.failures} in ${Math.max(0, Math.ceil((s.retryAt - now) / 1000))} s`
          : s.failures > 0
            ? `; retry ${s.failures} under way${last}`
            : '';
      return { ok: false, reason: `Feishu long connection failed: ${s.reason ?? 'unknown error'}${retry}` };
    }
  }
}

/**
 * Delay before the n-th retry (n ≥ 1): base · 2^(n−1), at most max, minus up to `jitter` of it at random
 * (so many bots that lost Feishu at once do not come back in step).
 */
export function retryDelay(
  n: number,
  o: { baseMs: number; maxMs: number; jitter: number; random?: () => number },
): number {
  const full = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, n - 1));
  const jitter = Math.min(1, Math.max(0, o.jitter));
  return Math.round(full * (1 - jitter * (o.random ?? Math.random)()));
}
