/** A tiny Open API client for the fake Feishu tests: a fresh fake, a tenant token, raw JSON answers. */
import { type FakeFeishu, type FakeFeishuOptions, startFakeFeishu } from '../../src/sandbox/fake-feishu.js';

// biome-ignore lint/suspicious/noExplicitAny: raw JSON answers, asserted with toMatchObject
export type Json = Record<string, any>;

export const APP_ID = 'cli_0123456789abcdef';

export interface FeishuApi {
  f: FakeFeishu;
  token: string;
  /** One call; `token` undefined = no Authorization header. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: Json }>;
  /** One call with the tenant token. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }>;
  upload(form: FormData, path?: string): Promise<{ status: number; json: Json }>;
}

export async function startFeishuApi(opts: Partial<FakeFeishuOptions> = {}): Promise<FeishuApi> {
  const f = await startFakeFeishu({ appId: APP_ID, appSecret: 'sec', ...opts });
  const api: FeishuApi['api'] = async (method, path, body, token) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${f.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  const tok = await api('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
    app_id: APP_ID,
    app_secret: 'sec',
  });
  const token = tok.json.tenant_access_token as string;
  return {
    f,
    token,
    api,
    call: (method, path, body) => api(method, path, body, token),
    async upload(form, path = '/open-apis/im/v1/files') {
      const res = await fetch(`${f.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      return { status: res.status, json: (await res.json()) as Json };
    },
  };
}

export const text = (t: string) => ({ msg_type: 'text', content: JSON.stringify({ text: t }) });
