/**
 * Permission scopes: a route answers 400 99991672 when the app has none of the scopes it needs (the scope
 * lists are the 权限要求 of each official page; "开启其中任意一项权限即可"). The message follows answers
 * quoted in public code ("Access denied. One of the following scopes is required: [...]"); the HTTP status
 * 400 is from the same reports (no official table row for 99991672 was found).
 */
import { FeishuApiError } from './feishu-api-error.js';
import type { FaultRoute } from './types.js';

export const ROUTE_SCOPES: Partial<Record<FaultRoute, readonly string[]>> = {
  reply: ['im:message', 'im:message:send_as_bot', 'im:message:send'],
  create: ['im:message', 'im:message:send_as_bot', 'im:message:send'],
  patch: ['im:message', 'im:message:send_as_bot', 'im:message:update'],
  get: ['im:message', 'im:message:readonly'],
  upload: ['im:resource', 'im:resource:upload'],
  image: ['im:resource', 'im:resource:upload'],
  chat: ['im:chat', 'im:chat:read', 'im:chat:readonly'],
};

/** Throws 99991672 when every scope the route accepts is denied. */
export function checkScopes(route: FaultRoute, denied: ReadonlySet<string>): void {
  const needed = ROUTE_SCOPES[route];
  if (!needed?.every((s) => denied.has(s))) return;
  throw new FeishuApiError(
    400,
    99991672,
    `Access denied. One of the following scopes is required: [${needed.join(', ')}].`,
  );
}
