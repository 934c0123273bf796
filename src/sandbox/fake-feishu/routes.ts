import type { FaultRoute } from './types.js';

/** Which Open API a request is (the name faults and call records use), or 'other'. */
export function routeOf(method: string, path: string): FaultRoute | 'other' {
  if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') return 'token';
  if (method === 'GET' && path === '/open-apis/bot/v3/info') return 'bot';
  if (method === 'POST' && path === '/open-apis/im/v1/messages') return 'create';
  if (method === 'POST' && path === '/open-apis/im/v1/files') return 'upload';
  if (method === 'POST' && path === '/open-apis/im/v1/images') return 'image';
  if (method === 'POST' && /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/.test(path)) return 'reply';
  if (method === 'PATCH' && /^\/open-apis\/im\/v1\/messages\/[^/]+$/.test(path)) return 'patch';
  if (method === 'GET' && /^\/open-apis\/im\/v1\/messages\/[^/]+$/.test(path)) return 'get';
  if (method === 'GET' && /^\/open-apis\/im\/v1\/chats\/[^/]+$/.test(path)) return 'chat';
  if (method === 'GET' && /^\/open-apis\/im\/v1\/messages\/[^/]+\/resources\/[^/]+$/.test(path))
    return 'resource';
  return 'other';
}
