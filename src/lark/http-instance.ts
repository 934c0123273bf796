import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import * as lark from '@larksuiteoapi/node-sdk';

// The SDK's axios instance opens a new connection (and TLS handshake) per call by default; reusing them
// matters when a burst of acceptance cards goes out.
const agents = {
  httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 32 }),
  httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 32 }),
};

/** The SDK's shared axios instance with a per-request timeout (the SDK sets none) and keep-alive. */
export function httpInstanceWithTimeout(timeout: number): lark.HttpInstance {
  const base = lark.defaultHttpInstance;
  const d = { timeout, ...agents };
  return {
    request: (o) => base.request({ ...d, ...o }),
    get: (url, o) => base.get(url, { ...d, ...o }),
    delete: (url, o) => base.delete(url, { ...d, ...o }),
    head: (url, o) => base.head(url, { ...d, ...o }),
    options: (url, o) => base.options(url, { ...d, ...o }),
    post: (url, data, o) => base.post(url, data, { ...d, ...o }),
    put: (url, data, o) => base.put(url, data, { ...d, ...o }),
    patch: (url, data, o) => base.patch(url, data, { ...d, ...o }),
  } as lark.HttpInstance;
}
