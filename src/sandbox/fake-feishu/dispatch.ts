/** Runs one recognised Open API call against the state and returns its answer (or throws FeishuApiError). */
import type { IncomingMessage } from 'node:http';
import { readBodyOrNull } from '../../util/read-body.js';
import { chatInfo } from './chat-info.js';
import { FeishuApiError } from './feishu-api-error.js';
import type { FeishuState } from './feishu-state.js';
import { IMAGE_LIMIT, messageResource, uploadFile, uploadImage } from './files.js';
import { create, getMessage, patch, reply } from './messages.js';
import { readJson } from './read-json.js';
import { checkScopes } from './scopes.js';
import type { TenantTokens } from './tenant-tokens.js';
import { toApi } from './to-api.js';
import type { FaultRoute } from './types.js';

export interface Answer {
  status: number;
  body: Record<string, unknown> | Buffer;
  contentType?: string;
}

export interface DispatchDeps {
  state: FeishuState;
  tokens: TenantTokens;
  bot: { openId: string; name: string };
}

const ok = (data: Record<string, unknown>): Answer => ({
  status: 200,
  body: { code: 0, msg: 'success', data },
});

export async function dispatch(
  d: DispatchDeps,
  route: FaultRoute | 'other',
  req: IncomingMessage,
  u: URL,
): Promise<Answer> {
  const s = d.state;
  if (route === 'token') return { status: 200, body: d.tokens.issue(await readJson(req)) };
  if (route === 'other') throw new FeishuApiError(404, 404, `no such route: ${req.method} ${u.pathname}`);
  d.tokens.check(req);
  checkScopes(route, s.deniedScopes);
  const parts = u.pathname.split('/'); // ['', 'open-apis', 'im', 'v1', 'messages', ':id', ...]
  const id = decodeURIComponent(parts[5] ?? '');
  switch (route) {
    case 'bot':
      return {
        status: 200,
        body: {
          code: 0,
          msg: 'ok',
          bot: {
            activate_status: 2,
            app_name: d.bot.name,
            avatar_url: '',
            ip_white_list: [],
            open_id: d.bot.openId,
          },
        },
      };
    case 'reply':
      return ok(toApi(reply(s, id, await readJson(req)), s.tenantKey));
    case 'create':
      return ok(toApi(create(s, u.searchParams.get('receive_id_type'), await readJson(req)), s.tenantKey));
    case 'patch':
      patch(s, id, await readJson(req));
      return ok({});
    case 'get':
      return ok({ items: [toApi(getMessage(s, id), s.tenantKey)] });
    case 'chat':
      return ok(chatInfo(s.chats.get(id), s.tenantKey));
    case 'resource': {
      const key = decodeURIComponent(parts[7] ?? '');
      const bytes = messageResource(s, id, key, u.searchParams.get('type'));
      return { status: 200, body: bytes, contentType: 'application/octet-stream' };
    }
    case 'upload':
      return ok({ file_key: uploadFile(s, await readBodyOrNull(req, s.maxFileBytes + 1024 * 1024), req) });
    case 'image':
      return ok({ image_key: uploadImage(s, await readBodyOrNull(req, IMAGE_LIMIT + 1024 * 1024), req) });
  }
}
