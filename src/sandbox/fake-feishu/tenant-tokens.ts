/** auth/v3/tenant_access_token/internal and the Bearer check every other route makes. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FeishuApiError } from './feishu-api-error.js';

export class TenantTokens {
  private readonly tokens = new Set<string>();

  constructor(
    private readonly appId: string,
    private readonly appSecret: string,
  ) {}

  issue(body: Record<string, unknown>): Record<string, unknown> {
    if (body.app_id !== this.appId) return { code: 10003, msg: 'invalid param: app_id' };
    if (body.app_secret !== this.appSecret) return { code: 10014, msg: 'app secret invalid' };
    const token = `t-${randomBytes(20).toString('hex')}`;
    this.tokens.add(token);
    return { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 };
  }

  /** Throws 99991661 (no token) or 99991663 (unknown token). */
  check(req: IncomingMessage): void {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new FeishuApiError(400, 99991661, 'Missing access token for authorization.');
    if (!this.tokens.has(m[1] ?? ''))
      throw new FeishuApiError(400, 99991663, 'Invalid access token for authorization.');
  }

  revokeAll(): void {
    this.tokens.clear();
  }
}
