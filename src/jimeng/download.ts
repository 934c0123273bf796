/** Fetches a finished video (the URL is valid for about an hour). Not signed, not rate-limited. */
import type { CallOptions, ClientContext } from './client-options.js';
import { JimengError } from './errors.js';
import { abortedError } from './retry.js';

function downloadError(message: string, cause?: unknown, httpStatus?: number): JimengError {
  return new JimengError({
    code: 'DOWNLOAD_FAILED',
    message,
    audience: 'transient',
    retryable: true,
    httpStatus,
    cause,
  });
}

export async function downloadVideo(
  ctx: ClientContext,
  url: string,
  opts: CallOptions = {},
): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await ctx.fetch(url, { signal: opts.signal });
  } catch (err) {
    if (opts.signal?.aborted) throw abortedError(opts.signal);
    throw downloadError(`download failed: ${(err as Error)?.message ?? String(err)}`, err);
  }
  if (!res.ok) throw downloadError(`download failed: HTTP ${res.status}`, undefined, res.status);
  return new Uint8Array(await res.arrayBuffer());
}
