import type { WsStatus } from '../../src/lark/ws-status.js';

export interface StatusWatch {
  /** Pass as the receiver's `onStatus`. */
  onStatus(s: WsStatus): void;
  /** Every status the receiver reported, in order. */
  readonly seen: WsStatus[];
  /** The states in order, repeats collapsed (`connecting, connected, reconnecting, connected`). */
  states(): string[];
  /** Resolves with the first status (already seen from index `since`, or coming) that matches. */
  until(
    match: (s: WsStatus) => boolean,
    what: string,
    o?: { since?: number; timeoutMs?: number },
  ): Promise<WsStatus>;
}

/** Watches a WS receiver's status changes, so tests wait on them instead of sleeping. */
export function watchStatus(): StatusWatch {
  const seen: WsStatus[] = [];
  const waiters = new Set<() => void>();
  return {
    seen,
    onStatus(s) {
      seen.push(s);
      for (const w of [...waiters]) w();
    },
    states() {
      return seen.map((s) => s.state).filter((s, i, all) => i === 0 || all[i - 1] !== s);
    },
    until(match, what, o = {}) {
      const since = o.since ?? 0;
      const find = () => seen.slice(since).find(match);
      const hit = find();
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out waiting for ${what}; states so far: ${seen.map((s) => s.state).join(' → ')}`,
            ),
          );
        }, o.timeoutMs ?? 5000);
        const check = () => {
          const s = find();
          if (!s) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(s);
        };
        waiters.add(check);
      });
    },
  };
}
