import type { Logger } from '../log.js';
import { withRetry } from '../util/retry.js';
import { LarkApiError, larkBodyError, TOKEN_INVALID_CODES, toLarkApiError } from './lark-error.js';
import type { TokenCache } from './token-cache.js';

export interface LarkCallOptions {
  logger: Logger;
  tokens: TokenCache;
  /** Extra attempts for retryable failures (5xx, timeouts, network, rate limits). Default 3. */
  retries?: number;
  /** First backoff delay; doubles per attempt, with jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** No retry starts once this much time has passed since the first attempt. Default 10 s. */
  retryBudgetMs?: number;
}

/**
 * One Open API call with the retries it deserves: retryable failures with jittered backoff (the payload,
 * uuid included, never changes), within a time budget; a rejected tenant token is dropped and fetched
 * again once. Failures come out as LarkApiError, logged once with what to check.
 */
export class LarkCaller {
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly budgetMs: number;

  constructor(private readonly o: LarkCallOptions) {
    this.retries = o.retries ?? 3;
    this.baseDelayMs = o.baseDelayMs ?? 500;
    this.budgetMs = o.retryBudgetMs ?? 10_000;
  }

  async call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let tokenDropped = false;
    try {
      return await withRetry(
        async () => {
          try {
            return await fn();
          } catch (e) {
            const err = await toLarkApiError(op, e);
            if (err.larkCode !== undefined && TOKEN_INVALID_CODES.has(err.larkCode) && !tokenDropped) {
              tokenDropped = true;
              this.o.tokens.clear();
              this.o.logger.warn(
                { op, larkCode: err.larkCode },
                'lark: tenant token rejected; fetching a new one',
              );
              return await fn().catch(async (again: unknown) => {
                throw await toLarkApiError(op, again);
              });
            }
            throw err;
          }
        },
        {
          retries: this.retries,
          baseMs: this.baseDelayMs,
          maxMs: this.budgetMs,
          shouldRetry: (err) =>
            err instanceof LarkApiError && err.retryable && Date.now() - started < this.budgetMs,
          onRetry: (err, attempt, delay) => {
            const e = err as LarkApiError;
            this.o.logger.warn(
              {
                op,
                code: e.code,
                larkCode: e.larkCode,
                httpStatus: e.httpStatus,
                attempt: attempt + 1,
                delay,
              },
              'lark: call failed, retrying',
            );
          },
        },
      );
    } catch (e) {
      const err = e instanceof LarkApiError ? e : await toLarkApiError(op, e);
      this.logFailure(op, err);
      throw err;
    }
  }

  private logFailure(op: string, err: LarkApiError): void {
    const fields = { op, code: err.code, larkCode: err.larkCode, httpStatus: err.httpStatus };
    if (err.code === 'AUTH')
      this.o.logger.error(
        fields,
        'lark: Feishu rejected the app credentials: check LARK_APP_ID and LARK_APP_SECRET',
      );
    else if (err.code === 'FORBIDDEN')
      this.o.logger.error(
        fields,
        'lark: permission denied: check the app scopes (im:message, im:message:send_as_bot, im:resource) and that the bot is in the chat',
      );
    else this.o.logger.warn(fields, `lark: ${err.message}`);
  }
}

/** The body of an HTTP 200 answer, or the LarkApiError its non-zero `code` means. */
export function checked<T extends { code?: number; msg?: string }>(op: string, res: T | null | undefined): T {
  if (!res || (res.code !== undefined && res.code !== 0)) throw larkBodyError(op, res);
  return res;
}
