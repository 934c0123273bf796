/**
 * The simulator's HTTP front: routes `/videos/<id>.mp4` and `/healthz`, then for API calls reads the body
 * (413 over 20 MB), checks Action/Version (400 MissingParameter, 404 InvalidActionOrVersion), the signature,
 * the any-action one-shot faults and the account's QPS, and hands the JSON to submit or get-result.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyOrNull } from '../../util/read-body.js';
import { ANY_ACTION_FAULTS, takeFault } from './fault-plan.js';
import { authenticate } from './gateway-auth.js';
import { gatewayError } from './gateway-error.js';
import { handleGetResult } from './get-result.js';
import { API_VERSION, type CallContext, GET_RESULT_ACTION, requestId, SUBMIT_ACTION } from './responder.js';
import type { SimState } from './sim-state.js';
import { handleSubmit } from './submit.js';
import type { SimStats } from './types.js';
import { serveVideo } from './video.js';

const MAX_BODY = 20 * 1024 * 1024;

export interface ServerDeps {
  state: SimState;
  stats: SimStats;
  video: Buffer;
  maxSkewMs: number;
}

export async function handleRequest(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { state: s, stats } = deps;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const videoMatch = /^\/videos\/(\d+)\.mp4$/.exec(url.pathname);
  if (videoMatch && (req.method === 'GET' || req.method === 'HEAD')) {
    if (req.method === 'GET') stats.videoDownloads++;
    return serveVideo(req, res, videoMatch[1]!, {
      book: s.book,
      video: deps.video,
      videoTtlMs: s.videoTtlMs,
    });
  }
  if (url.pathname === '/healthz' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }

  const query: Record<string, string> = {};
  for (const [k, val] of url.searchParams) query[k] = val;
  const action = query.Action ?? '';
  const ctx: CallContext = {
    req,
    res,
    started: performance.now(),
    action,
    requestId: requestId(),
    delayMs: 0,
  };
  const body = await readBodyOrNull(req, MAX_BODY);
  if (body === null) {
    // CodeN for this one is not in the public table; 100015 is a placeholder.
    return s.respond.gateway(
      ctx,
      gatewayError(413, 'RequestEntityTooLarge', 100015, 'Request entity too large.'),
    );
  }
  if (!query.Action || !query.Version) {
    const missing = query.Action ? 'Version' : 'Action';
    return s.respond.gateway(
      ctx,
      gatewayError(400, 'MissingParameter', 100002, `The request is missing ${missing} parameter.`),
    );
  }
  if (
    url.pathname !== '/' ||
    req.method !== 'POST' ||
    query.Version !== API_VERSION ||
    (action !== SUBMIT_ACTION && action !== GET_RESULT_ACTION)
  ) {
    return s.respond.gateway(
      ctx,
      gatewayError(
        404,
        'InvalidActionOrVersion',
        100008,
        `Could not find operation ${action} for version ${query.Version}.`,
      ),
    );
  }
  const auth = authenticate({
    req,
    query,
    path: url.pathname,
    body,
    secretOf: s.accounts.secretOf,
    maxSkewMs: deps.maxSkewMs,
  });
  if (typeof auth !== 'string') return s.respond.gateway(ctx, auth);
  const ak = auth;
  ctx.accessKeyId = ak;

  // One-shot faults: the first entry that applies to this action; any-action kinds are taken here,
  // submit-only kinds are left in place for handleSubmit, which takes them once the body is valid.
  const head = s.faults.next.find((k) => action === SUBMIT_ACTION || ANY_ACTION_FAULTS.has(k));
  const anyFault = head && ANY_ACTION_FAULTS.has(head) ? takeFault(s.faults, (k) => k === head) : undefined;
  if (anyFault === 'hang') {
    s.logger.debug({ action }, 'jimeng-sim hanging a call');
    return; // never answered; close() destroys the socket
  }
  if (anyFault === 'slow') ctx.delayMs = s.faults.slowMs;
  if (anyFault === 'qps') return s.respond.biz(ctx, 429, 50429, null, 'injected');
  if (anyFault === '500') return s.respond.biz(ctx, 500, 50500, null, 'injected');
  if (!s.accounts.admit(ak)) return s.respond.biz(ctx, 429, 50429, null, 'qps limit');

  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return s.respond.biz(ctx, 400, 50215, null, 'body is not JSON');
  }
  if (action === SUBMIT_ACTION) {
    stats.submits++;
    handleSubmit(s, ctx, ak, json, anyFault === undefined);
  } else {
    stats.polls++;
    handleGetResult(s, ctx, ak, json);
  }
}
