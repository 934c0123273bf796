/** Injected faults: `faults.next` is a queue; each call takes the first entry for its route. */
import type { Fault, FaultRoute } from './types.js';

export interface FaultAnswer {
  status: number;
  body: Record<string, unknown>;
}

export function takeFault(queue: Fault[], route: FaultRoute): Fault | undefined {
  const i = queue.findIndex((f) => f.route === route);
  if (i < 0) return undefined;
  return queue.splice(i, 1)[0];
}

/** What a fault answers, or undefined for 'timeout' (never answered; the client gives up). */
export function faultAnswer(fault: Fault): FaultAnswer | undefined {
  if (fault.kind === 'timeout') return undefined;
  if (fault.kind === 'rate_limit')
    return { status: 429, body: { code: 99991400, msg: 'request trigger frequency limit' } };
  if (fault.kind === 'code') {
    const body = { code: fault.code ?? 1, msg: fault.msg ?? 'injected business error' };
    return { status: fault.httpStatus ?? 200, body };
  }
  return { status: 500, body: { code: 1, msg: 'internal server error (injected fault)' } };
}
