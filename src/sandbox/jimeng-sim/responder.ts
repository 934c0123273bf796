/**
 * Writes the simulator's answers: the business envelope `{code, data, message, request_id, status,
 * time_elapsed}` and the gateway's `ResponseMetadata` envelope. Every answer is recorded in `calls` and
 * counted in `stats`; a call may be answered late (`delayMs`) or never (a 'hang' writes nothing).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.js';
import { bizMessage } from './biz-codes.js';
import { REGION, SERVICE } from './gateway-auth.js';
import type { GatewayError } from './gateway-error.js';
import type { SimCall, SimStats } from './types.js';

export const SUBMIT_ACTION = 'CVSync2AsyncSubmitTask';
export const GET_RESULT_ACTION = 'CVSync2AsyncGetResult';
export const API_VERSION = '2022-08-31';

/** One API call being answered. */
export interface CallContext {
  req: IncomingMessage;
  res: ServerResponse;
  started: number;
  action: string;
  requestId: string;
  accessKeyId?: string;
  taskId?: string;
  /** Answer this much later (the work is already done). */
  delayMs: number;
}

export function requestId(): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return stamp + randomBytes(10).toString('hex').toUpperCase();
}

export interface Responder {
  gateway(ctx: CallContext, e: GatewayError): void;
  /** `message` defaults to the documented one; `reason` goes to the X-Sim-Reason header only. */
  biz(
    ctx: CallContext,
    httpStatus: number,
    code: number,
    data: unknown,
    reason?: string,
    message?: string,
  ): void;
  /** Cancels answers still waiting on a delay. */
  cancelPending(): void;
}

export function createResponder(deps: { calls: SimCall[]; stats: SimStats; logger: Logger }): Responder {
  const { calls, stats, logger } = deps;
  const timers = new Set<NodeJS.Timeout>();

  const record = (ctx: CallContext, code: number | string, httpStatus: number) => {
    const call: SimCall = { action: ctx.action, code, httpStatus, at: Date.now() };
    if (ctx.taskId !== undefined) call.taskId = ctx.taskId;
    if (ctx.accessKeyId !== undefined) call.accessKeyId = ctx.accessKeyId;
    calls.push(call);
  };

  const write = (
    ctx: CallContext,
    status: number,
    payload: unknown,
    headers: Record<string, string> = {},
  ) => {
    let timer: NodeJS.Timeout | undefined;
    const send = () => {
      if (timer) timers.delete(timer);
      if (ctx.res.destroyed || ctx.res.headersSent) return;
      const text = JSON.stringify(payload);
      ctx.res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
        'x-tt-logid': ctx.requestId,
        ...headers,
      });
      ctx.res.end(text);
    };
    if (ctx.delayMs <= 0) return send();
    timer = setTimeout(send, ctx.delayMs);
    timers.add(timer);
  };

  return {
    gateway(ctx, e) {
      record(ctx, e.code, e.status);
      if (e.status === 401) stats.authFailures++;
      logger.debug({ action: ctx.action, code: e.code }, 'jimeng-sim gateway error');
      write(ctx, e.status, {
        ResponseMetadata: {
          RequestId: ctx.requestId,
          Action: ctx.action,
          Version: API_VERSION,
          Service: SERVICE,
          Region: REGION,
          Error: { CodeN: e.codeN, Code: e.code, Message: e.message },
        },
      });
    },
    biz(ctx, httpStatus, code, data, reason, message) {
      record(ctx, code, httpStatus);
      if (code === 50429) stats.qpsLimited++;
      if (code === 50430) stats.concurrencyLimited++;
      if (code === 50215) stats.invalid++;
      if (code !== 10000) logger.debug({ action: ctx.action, code, reason }, 'jimeng-sim business error');
      const elapsed = `${(performance.now() - ctx.started).toFixed(2)}ms`;
      write(
        ctx,
        httpStatus,
        {
          code,
          data,
          message: message ?? bizMessage(code),
          request_id: ctx.requestId,
          status: code,
          time_elapsed: elapsed,
        },
        reason ? { 'x-sim-reason': encodeURIComponent(reason) } : {},
      );
    },
    cancelPending() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
