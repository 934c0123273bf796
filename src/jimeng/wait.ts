/** Polls one task until it is finished, with a slow start and shrinking intervals. */
import type { CallOptions, ClientContext, PollOptions } from './client-options.js';
import { isJimengError, JimengError } from './errors.js';
import { getTaskResult } from './get-result.js';
import type { TaskResult } from './parse-result.js';
import { abortedError } from './retry.js';
import { checkTaskRef } from './task-ref.js';

export type WaitProgress = TaskResult & { elapsedMs: number; polls: number; pollError?: JimengError };

export interface WaitOptions extends CallOptions {
  /** Overall limit. Default 20 minutes. */
  timeoutMs?: number;
  onProgress?: (r: WaitProgress) => void;
  poll?: PollOptions;
}

export type WaitResult = TaskResult & { elapsedMs: number; polls: number };

const TERMINAL = new Set(['done', 'failed', 'not_found', 'expired']);

function waitTimeout(taskId: string, timeoutMs: number): JimengError {
  return new JimengError({
    code: 'TIMEOUT',
    message: `task ${taskId} not finished after ${Math.round(timeoutMs / 1000)} s`,
    details: { taskId, timeoutMs },
    audience: 'transient',
    retryable: true,
  });
}

/**
 * Polls until the task is done, failed, not found or expired: first after `poll.firstMs` (~10 s), then at
 * intervals shrinking to `poll.minMs` (~3 s). Transient poll failures are reported and polling goes on.
 * Throws TIMEOUT after `timeoutMs`, ABORTED when `signal` fires, and non-transient call errors (auth).
 */
export async function waitForTask(
  ctx: ClientContext,
  taskId: string,
  reqKey: string,
  opts: WaitOptions = {},
): Promise<WaitResult> {
  checkTaskRef(taskId, reqKey, ctx.catalog);
  const poll = { ...ctx.poll, ...opts.poll };
  const minMs = poll.minMs ?? 3000;
  const factor = poll.factor ?? 0.75;
  let interval = poll.intervalMs ?? 8000;
  const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
  const start = ctx.now();
  const deadline = start + timeoutMs;
  let delay = poll.firstMs ?? 10_000;
  let polls = 0;
  for (;;) {
    const remaining = deadline - ctx.now();
    if (remaining <= 0) throw waitTimeout(taskId, timeoutMs);
    await ctx.sleep(Math.min(delay, remaining), opts.signal);
    delay = Math.max(minMs, interval);
    interval = Math.max(minMs, interval * factor);
    if (opts.signal?.aborted) throw abortedError(opts.signal);
    let result: TaskResult;
    try {
      result = await getTaskResult(ctx, taskId, reqKey, { signal: opts.signal });
    } catch (err) {
      if (isJimengError(err) && err.retryable && err.code !== 'ABORTED') {
        polls++;
        opts.onProgress?.({ status: 'in_queue', elapsedMs: ctx.now() - start, polls, pollError: err });
        continue;
      }
      throw err;
    }
    polls++;
    const elapsedMs = ctx.now() - start;
    opts.onProgress?.({ ...result, elapsedMs, polls });
    if (TERMINAL.has(result.status)) return { ...result, elapsedMs, polls };
  }
}
