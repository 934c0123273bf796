/** One signed POST to the Jimeng API through the account's call pacer (its rate budget, or a shared one). */
import { API_VERSION, type ClientContext, SUBMIT_ACTION } from './client-options.js';
import { sign } from './sign.js';
import { transportError } from './transport-error.js';

export interface RawAnswer {
  status: number;
  text: string;
  requestId?: string;
}

/**
 * Takes a call slot, signs and sends `body` to `action`, and returns the HTTP status and text whatever the
 * status. Network failures become NETWORK / TIMEOUT / ABORTED JimengErrors (see transport-error.ts).
 */
export async function signedCall(
  ctx: ClientContext,
  action: string,
  body: object,
  signal?: AbortSignal,
): Promise<RawAnswer> {
  // Submits and get-results of one account take turns for its slots (a burst of submits must not hold
  // back the looks at tasks that may be done).
  await ctx.pacer.takeCallSlot(signal, action === SUBMIT_ACTION ? 'submit' : 'poll');
  const url = new URL(`${ctx.endpoint}/`);
  const query = { Action: action, Version: API_VERSION };
  url.searchParams.set('Action', action);
  url.searchParams.set('Version', API_VERSION);
  const text = JSON.stringify(body);
  const signed = sign({
    method: 'POST',
    host: url.host,
    path: url.pathname,
    query,
    body: text,
    accessKeyId: ctx.accessKeyId,
    secretAccessKey: ctx.secretAccessKey,
    region: ctx.region,
    service: ctx.service,
    date: new Date(ctx.now()),
  });
  const { Host: _host, ...headers } = signed;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const started = ctx.now();
  try {
    const res = await ctx.fetch(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: text,
      signal: controller.signal,
    });
    const answer = await res.text();
    const requestId = res.headers.get('x-tt-logid') ?? res.headers.get('x-request-id') ?? undefined;
    ctx.logger?.debug({ action, httpStatus: res.status, ms: ctx.now() - started, requestId }, 'jimeng call');
    return { status: res.status, text: answer, requestId };
  } catch (err) {
    throw transportError({ action, err, timedOut, timeoutMs: ctx.timeoutMs, signal });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
