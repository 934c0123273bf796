/** `jimeng check`: credentials and connectivity, with a verdict. */
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../io.js';
import { makeClient } from '../make-client.js';
import type { CommandContext } from './command.js';

export async function checkCommand({ io, json, out, err }: CommandContext): Promise<number> {
  const client = makeClient(io);
  const v = await client.testConnection();
  if (json) {
    out(JSON.stringify({ ...v, error: v.error?.toJSON() }));
  } else {
    out(`${v.ok ? '✅' : '❌'} ${v.verdict}: ${v.message}`);
    out(`   endpoint ${v.endpoint}, ${v.latencyMs} ms${v.requestId ? `, request_id ${v.requestId}` : ''}`);
  }
  if (!v.ok && !json) err(`check failed: ${v.verdict}`);
  if (v.ok) return EXIT_OK;
  return v.verdict === 'bad_credentials' || v.verdict === 'access_denied' ? EXIT_USAGE : EXIT_FAILED;
}
