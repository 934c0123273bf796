import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AccountStatus } from './jimeng/account-pool.js';
import type { StorePort } from './store/port.js';

/** Prometheus metrics for one bot instance (own registry, so several can live in one process). */
export class Metrics {
  readonly registry = new Registry();
  readonly jimengCalls = new Counter({
    name: 'jimeng_calls_total',
    help: 'Jimeng API calls by action and outcome code (10000 = success)',
    labelNames: ['action', 'code'] as const,
    registers: [this.registry],
  });
  readonly jimengAccountCalls = new Counter({
    name: 'jimeng_account_calls_total',
    help: 'Jimeng API calls by account, action and outcome code (10000 = success)',
    labelNames: ['account', 'action', 'code'] as const,
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'lark_events_total',
    help: 'Feishu events received, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly timeToAnswer = new Histogram({
    name: 'bot_time_to_answer_seconds',
    help: 'From the /video message to its final answer (video or failure)',
    labelNames: ['outcome'] as const,
    buckets: [5, 15, 30, 60, 90, 120, 180, 300, 600, 1200, 3600],
    registers: [this.registry],
  });
  readonly undeliverable = new Counter({
    name: 'bot_undeliverable_total',
    help: 'Finished videos that could not be brought to the chat (bot removed, message gone, link expired)',
    registers: [this.registry],
  });

  constructor(store?: StorePort) {
    // Process figures (resident memory, heap, event-loop lag, GC) under their standard names.
    collectDefaultMetrics({ register: this.registry });
    if (!store) return;
    new Gauge({
      name: 'bot_jobs',
      help: 'Jobs in the store by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        for (const [state, n] of Object.entries(await store.jobCounts())) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'bot_queue_depth',
      help: 'Jobs waiting to be submitted to Jimeng',
      registers: [this.registry],
      async collect() {
        this.set((await store.jobCounts()).queued);
      },
    });
  }

  /**
   * `lark_ws_connected`: 1 while the Feishu long connection is up, 0 otherwise (connecting, reconnecting,
   * failed). Only exported with the websocket transport.
   */
  trackLarkWsConnection(isConnected: () => boolean): void {
    new Gauge({
      name: 'lark_ws_connected',
      help: 'Whether the Feishu long connection (WebSocket) is up: 1 connected, 0 not',
      registers: [this.registry],
      collect() {
        this.set(isConnected() ? 1 : 0);
      },
    });
  }

  /**
   * The accounts of the pool: `jimeng_account_up{account}` (1 in rotation, 0 out: credentials refused or
   * every model refused), `jimeng_account_slots{account}` (tasks at once now, lowered after a 50430) and
   * `jimeng_account_in_flight{account}` (tasks at Jimeng now).
   */
  trackJimengAccounts(status: () => AccountStatus[], inFlight: () => Promise<Map<string, number>>): void {
    new Gauge({
      name: 'jimeng_account_up',
      help: 'Whether a Jimeng account is in rotation: 1 up, 0 out (credentials or every model refused)',
      labelNames: ['account'] as const,
      registers: [this.registry],
      collect() {
        for (const a of status()) this.set({ account: a.name }, a.up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'jimeng_account_slots',
      help: 'Tasks a Jimeng account may run at once now (lowered for a while after a 50430)',
      labelNames: ['account'] as const,
      registers: [this.registry],
      collect() {
        for (const a of status()) this.set({ account: a.name }, a.slots);
      },
    });
    new Gauge({
      name: 'jimeng_account_in_flight',
      help: 'Tasks at Jimeng by account (submitting, or running without a video yet)',
      labelNames: ['account'] as const,
      registers: [this.registry],
      async collect() {
        for (const [account, n] of await inFlight()) this.set({ account }, n);
      },
    });
  }

  /**
   * Wraps fetch so every Jimeng call is counted by its outcome code, without the client knowing: in
   * `jimeng_calls_total`, and with the account's name in `jimeng_account_calls_total`.
   */
  instrumentJimengFetch(inner: typeof fetch = fetch, account?: string): typeof fetch {
    const count = (action: string, code: string) => {
      this.jimengCalls.inc({ action, code });
      if (account !== undefined) this.jimengAccountCalls.inc({ account, action, code });
    };
    return async (input, init) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const action = url.searchParams.get('Action') ?? 'other';
      try {
        const res = await inner(input, init);
        res
          .clone()
          .json()
          .then(
            (b: { code?: number; ResponseMetadata?: { Error?: { Code?: string } } }) =>
              count(action, String(b?.code ?? b?.ResponseMetadata?.Error?.Code ?? res.status)),
            () => count(action, `http_${res.status}`),
          );
        return res;
      } catch (err) {
        count(action, 'network');
        throw err;
      }
    };
  }
}
