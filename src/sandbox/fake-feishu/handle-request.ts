/**
 * One HTTP request to the fake: finds the route, applies an injected fault (before the operation, or
 * after it with `after: true`), runs it, answers JSON (or bytes) and records the call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Answer, type DispatchDeps, dispatch } from './dispatch.js';
import { faultAnswer, takeFault } from './faults.js';
import { FeishuApiError } from './feishu-api-error.js';
import { routeOf } from './routes.js';
import type { CallRecord, Fault } from './types.js';

export interface HandleDeps extends DispatchDeps {
  calls: CallRecord[];
  faults: { next: Fault[] };
}

export function send(
  res: ServerResponse,
  status: number,
  body: Record<string, unknown> | Buffer,
  contentType?: string,
) {
  if (res.headersSent || res.destroyed) return;
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': contentType ?? 'application/json; charset=utf-8',
    'Content-Length': payload.length,
  });
  res.end(payload);
}

export async function handleRequest(d: HandleDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const u = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  const route = routeOf(method, u.pathname);
  const call: CallRecord = { method, path: u.pathname, route, status: 0, code: 0, at: Date.now() };
  d.calls.push(call);
  const respond = (a: Answer) => {
    call.status = a.status;
    call.code = Buffer.isBuffer(a.body) ? 0 : typeof a.body.code === 'number' ? a.body.code : 0;
    send(res, a.status, a.body, a.contentType);
  };
  const answerFault = (fault: Fault) => {
    const a = faultAnswer(fault);
    if (a) respond(a); // a 'timeout' is never answered; the client gives up
  };

  const fault = route === 'other' ? undefined : takeFault(d.faults.next, route);
  if (fault) call.fault = fault.kind;
  if (fault && !fault.after) {
    req.resume();
    return answerFault(fault);
  }
  let result: Answer;
  try {
    result = await dispatch(d, route, req, u);
  } catch (e) {
    if (!(e instanceof FeishuApiError)) throw e;
    result = { status: e.status, body: { code: e.code, msg: e.message } };
  }
  req.resume(); // whatever a handler left unread
  if (fault) return answerFault(fault);
  respond(result);
}
