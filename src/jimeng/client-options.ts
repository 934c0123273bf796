/** The client's options, and the resolved context (defaults applied once, here) every call runs with. */
import type { Logger } from '../log.js';
import { CallLanes } from './call-lanes.js';
import type { CallPacer } from './call-pacer.js';
import { isJimengError, JimengError } from './errors.js';
import { createModelCatalog, defaultCatalog, type ModelCatalog, type PriceTable } from './model-catalog.js';
import { RateBudget } from './rate-budget.js';
import { type RetryOptions, sleep as realSleep, type Sleep } from './retry.js';

export const DEFAULT_ENDPOINT = 'https://visual.volcengineapi.com';
export const API_VERSION = '2022-08-31';
export const SUBMIT_ACTION = 'CVSync2AsyncSubmitTask';
export const GET_RESULT_ACTION = 'CVSync2AsyncGetResult';

export type FetchLike = typeof fetch;

export interface PollOptions {
  /** Delay before the first poll (generation takes a while). Default 10000. */
  firstMs?: number;
  /** Interval after the first poll; shrinks by `factor` each poll down to `minMs`. Default 8000. */
  intervalMs?: number;
  /** Default 0.75. */
  factor?: number;
  /** Default 3000. */
  minMs?: number;
}

export interface JimengClientOptions {
  accessKeyId: string;
  secretAccessKey: string;
  /** A name for this account in tables and logs. Default: the masked access key. */
  accountLabel?: string;
  endpoint?: string;
  region?: string;
  service?: string;
  /** Account-wide HTTP calls per second (submit + get-result). Default 1. Ignored when `budget` is given. */
  qps?: number;
  /** Generation tasks in flight. Default 2. Ignored when `budget` is given. */
  maxConcurrent?: number;
  /** Share one budget between clients of the same account. */
  budget?: RateBudget;
  /**
   * Paces the calls instead of the budget (which still counts tasks): e.g. a pacer shared by every
   * replica of a deployment, so the account's QPS holds for all of them together.
   */
  pacer?: CallPacer;
  /** Retries of transient failures per call. Default 3. */
  retries?: number;
  /**
   * Retries of a submit answered 50430 (concurrency limit), at most `retries`. Default `retries`. An account
   * pool sets 0: another account may have a free slot now, and the job goes back to the queue at once.
   */
  concurrencyRetries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Per HTTP request. Default 30000. */
  timeoutMs?: number;
  poll?: PollOptions;
  /** Price per second by req_key (the rest keep their defaults). Ignored when `catalog` is given. */
  prices?: PriceTable;
  /** The model catalog (prices); default: built from `prices`, or the default catalog. */
  catalog?: ModelCatalog;
  fetch?: FetchLike;
  logger?: Logger;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** Everything a call needs, defaults applied. */
export interface ClientContext {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  service?: string;
  budget: RateBudget;
  /** What every call waits on for its slot: `pacer`, else the budget. */
  pacer: CallPacer;
  fetch: FetchLike;
  now: () => number;
  sleep: Sleep;
  random?: () => number;
  logger?: Logger;
  timeoutMs: number;
  retries: number;
  concurrencyRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  poll: PollOptions;
  catalog: ModelCatalog;
}

export function createContext(opts: JimengClientOptions): ClientContext {
  if (!opts.accessKeyId || !opts.secretAccessKey) {
    throw new JimengError({
      code: 'MISSING_CREDENTIALS',
      message: 'accessKeyId and secretAccessKey are required',
      audience: 'operator',
      retryable: false,
      details: { missing: !opts.accessKeyId ? 'accessKeyId' : 'secretAccessKey' },
    });
  }
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const budget =
    opts.budget ??
    new RateBudget({ qps: opts.qps ?? 1, maxConcurrent: opts.maxConcurrent ?? 2, now: opts.now, sleep });
  return {
    endpoint: (opts.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, ''),
    accessKeyId: opts.accessKeyId,
    secretAccessKey: opts.secretAccessKey,
    region: opts.region,
    service: opts.service,
    budget,
    // A given pacer gets lanes of its own in front, so submits and polls still take turns.
    pacer: opts.pacer ? new CallLanes(opts.pacer) : budget,
    fetch: opts.fetch ?? ((input, init) => fetch(input, init)),
    now,
    sleep,
    random: opts.random,
    logger: opts.logger,
    timeoutMs: opts.timeoutMs ?? 30_000,
    retries: opts.retries ?? 3,
    concurrencyRetries: opts.concurrencyRetries ?? opts.retries ?? 3,
    retryBaseMs: opts.retryBaseMs ?? 1000,
    retryMaxMs: opts.retryMaxMs ?? 20_000,
    poll: opts.poll ?? {},
    catalog: opts.catalog ?? (opts.prices ? createModelCatalog(opts.prices) : defaultCatalog),
  };
}

/** The retry loop's settings for one call (shouldRetry is the caller's). */
export function retryOptions(ctx: ClientContext, signal?: AbortSignal): Omit<RetryOptions, 'shouldRetry'> {
  return {
    retries: ctx.retries,
    baseMs: ctx.retryBaseMs,
    maxMs: ctx.retryMaxMs,
    random: ctx.random,
    sleep: ctx.sleep,
    signal,
    onRetry: (err: unknown, attempt: number, delayMs: number) =>
      ctx.logger?.warn(
        { code: isJimengError(err) ? err.code : undefined, attempt, delayMs },
        'jimeng call failed, retrying',
      ),
  };
}
