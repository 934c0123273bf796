/** Posting as a simulated user: `POST /sandbox/messages` (text) and `POST /sandbox/images` (PNG/JPEG bytes). */
import type Router from '@koa/router';
import { readBodyOrNull } from '../../util/read-body.js';
import { SANDBOX_CHAT } from '../sandbox-users.js';
import { answer, BadRequest, checkUser } from './bad-request.js';
import { readJsonRequest } from './read-json-request.js';
import { imageType } from './serve-bytes.js';
import type { ChatPageSandbox } from './types.js';

const MAX_TEXT = 4000;
const MAX_IMAGE = 10 * 1024 * 1024;

export function addMessageRoutes(router: Router, sandbox: ChatPageSandbox): void {
  const { feishu } = sandbox;

  router.post('/sandbox/messages', async (ctx) => {
    await answer(ctx, async () => {
      const body = await readJsonRequest(ctx.req);
      const user = checkUser(body.user);
      const text = body.text;
      if (typeof text !== 'string' || text.trim() === '')
        throw new BadRequest(400, 'BAD_TEXT', 'text 必须是非空字符串');
      if (text.length > MAX_TEXT) throw new BadRequest(400, 'BAD_TEXT', `text 不能超过 ${MAX_TEXT} 个字符`);
      const parentId = body.parentId;
      if (parentId !== undefined && parentId !== null && parentId !== '') {
        if (typeof parentId !== 'string' || feishu.getStoredMessage(parentId)?.chatId !== SANDBOX_CHAT)
          throw new BadRequest(400, 'BAD_PARENT', 'parentId 不是本群聊中的消息');
      }
      // "@即梦视频助手 …" becomes a real mention, as the Feishu client would send it.
      const botMention = `@${feishu.botName}`;
      const mentioned = text.includes(botMention);
      const { messageId, status } = await sandbox.send({
        senderOpenId: user,
        text: mentioned ? text.split(botMention).join('@_user_1') : text,
        ...(typeof parentId === 'string' && parentId ? { parentId } : {}),
        ...(mentioned
          ? { mentions: [{ key: '@_user_1', openId: feishu.botOpenId, name: feishu.botName }] }
          : {}),
      });
      if (status !== 200)
        throw new BadRequest(502, 'EVENT_REJECTED', `机器人的事件接口返回了 HTTP ${status}（消息已记录）`);
      return { messageId };
    });
  });

  router.post('/sandbox/images', async (ctx) => {
    await answer(ctx, async () => {
      const user = checkUser(ctx.query.user);
      const type = (ctx.get('content-type') || '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'image/png' && type !== 'image/jpeg')
        throw new BadRequest(415, 'BAD_IMAGE_TYPE', 'Content-Type 必须是 image/png 或 image/jpeg');
      const bytes = await readBodyOrNull(ctx.req, MAX_IMAGE);
      if (!bytes) throw new BadRequest(413, 'IMAGE_TOO_LARGE', '图片不能超过 10 MB');
      if (bytes.length === 0) throw new BadRequest(400, 'EMPTY_IMAGE', '图片内容为空');
      if (imageType(bytes) !== type)
        throw new BadRequest(400, 'BAD_IMAGE', `内容不是 ${type === 'image/png' ? 'PNG' : 'JPEG'} 图片`);
      return sandbox.sendImage({ senderOpenId: user, bytes });
    });
  });
}
