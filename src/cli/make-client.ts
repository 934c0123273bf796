/** The Jimeng client from the environment (VOLC_ACCESSKEY, VOLC_SECRETKEY, JIMENG_ENDPOINT, JIMENG_QPS). */
import { JimengClient } from '../jimeng/client.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';

export function makeClient(io: CliIo): JimengClient {
  const ak = io.env.VOLC_ACCESSKEY?.trim();
  const sk = io.env.VOLC_SECRETKEY?.trim();
  if (!ak) throw new UsageError('MISSING_ENV', { name: 'VOLC_ACCESSKEY' });
  if (!sk) throw new UsageError('MISSING_ENV', { name: 'VOLC_SECRETKEY' });
  const qpsText = io.env.JIMENG_QPS?.trim();
  const qps = qpsText ? Number(qpsText) : undefined;
  if (qps !== undefined && !(qps > 0)) {
    throw new UsageError('BAD_ENV', {
      name: 'JIMENG_QPS',
      value: qpsText ?? '',
      expected: '必须是正数 (a number > 0)',
    });
  }
  return new JimengClient({
    accessKeyId: ak,
    secretAccessKey: sk,
    endpoint: io.env.JIMENG_ENDPOINT?.trim() || undefined,
    qps,
    fetch: io.fetch,
    ...io.clientOptions,
  });
}
