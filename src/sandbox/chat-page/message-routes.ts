/**
 * Posting as a simulated user: `POST /sandbox/messages` (a text, or a post with images and text),
 * `POST /sandbox/images` (one image message) and `POST /sandbox/uploads` (an image for a post).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { readBodyOrNull } from '../../util/read-body.js';
import { SANDBOX_CHAT, SANDBOX_USERS } from '../sandbox-users.js';
import { answer, BadRequest, checkUser } from './bad-request.js';
import { type Member, type MentionedText, postContent, toMentions } from './mentions.js';
import { readJsonRequest } from './read-json-request.js';
import { imageType } from './serve-bytes.js';
import type { ChatPageSandbox } from './types.js';

const MAX_TEXT = 4000;
const MAX_IMAGE = 10 * 1024 * 1024;
const MAX_POST_IMAGES = 9;

export function addMessageRoutes(router: Router, sandbox: ChatPageSandbox): void {
  const { feishu } = sandbox;
  const members: Member[] = [
    { openId: feishu.botOpenId, name: feishu.botName },
    ...SANDBOX_USERS.map((u) => ({ openId: u.openId, name: u.name })),
  ];

  router.post('/sandbox/messages', async (ctx) => {
    await answer(ctx, async () => {
      const body = await readJsonRequest(ctx.req);
      const user = checkUser(body.user);
      const images = checkImages(body.images, (key) => feishu.images.has(key));
      const text = body.text ?? '';
      if (typeof text !== 'string' || (text.trim() === '' && images.length === 0))
        throw new BadRequest(400, 'BAD_TEXT', 'text 必须是非空字符串（带图片时可以为空）');
      if (text.length > MAX_TEXT) throw new BadRequest(400, 'BAD_TEXT', `text 不能超过 ${MAX_TEXT} 个字符`);
      const parentId = body.parentId;
      if (parentId !== undefined && parentId !== null && parentId !== '') {
        if (typeof parentId !== 'string' || feishu.getStoredMessage(parentId)?.chatId !== SANDBOX_CHAT)
          throw new BadRequest(400, 'BAD_PARENT', 'parentId 不是本群聊中的消息');
      }
      // Every "@name" of a member becomes a real mention, as the Feishu client sends a picked one.
      const message = images.length > 0 ? asPost(text.trim(), images, members) : asText(text, members);
      const { messageId, status } = await sandbox.send({
        senderOpenId: user,
        msgType: message.msgType,
        content: message.content,
        ...(typeof parentId === 'string' && parentId ? { parentId } : {}),
        ...(message.mentions.length ? { mentions: message.mentions } : {}),
      });
      if (status !== 200)
        throw new BadRequest(502, 'EVENT_REJECTED', `机器人的事件接口返回了 HTTP ${status}（消息已记录）`);
      return { messageId };
    });
  });

  router.post('/sandbox/images', async (ctx) => {
    await answer(ctx, async () => {
      const user = checkUser(ctx.query.user);
      const bytes = await readImage(ctx);
      return sandbox.sendImage({ senderOpenId: user, bytes });
    });
  });

  router.post('/sandbox/uploads', async (ctx) => {
    await answer(ctx, async () => {
      checkUser(ctx.query.user);
      return { imageKey: feishu.addImage(await readImage(ctx)) };
    });
  });
}

interface OutgoingMessage {
  msgType: string;
  content: object;
  mentions: MentionedText['mentions'];
}

function asText(text: string, members: readonly Member[]): OutgoingMessage {
  const m = toMentions(text, members);
  return { msgType: 'text', content: { text: m.text }, mentions: m.mentions };
}

function asPost(text: string, images: readonly string[], members: readonly Member[]): OutgoingMessage {
  const post = postContent(text, images, members);
  return { msgType: 'post', content: post.content, mentions: post.mentions };
}

function checkImages(v: unknown, known: (key: string) => boolean): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > MAX_POST_IMAGES || !v.every((k) => typeof k === 'string' && known(k)))
    throw new BadRequest(
      400,
      'BAD_IMAGES',
      `images 必须是至多 ${MAX_POST_IMAGES} 个已上传图片的 imageKey（POST /sandbox/uploads）`,
    );
  return v as string[];
}

/** A PNG or JPEG request body (≤ 10 MB) whose bytes match its Content-Type. */
async function readImage(ctx: Context): Promise<Buffer> {
  const type = (ctx.get('content-type') || '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'image/png' && type !== 'image/jpeg')
    throw new BadRequest(415, 'BAD_IMAGE_TYPE', 'Content-Type 必须是 image/png 或 image/jpeg');
  const bytes = await readBodyOrNull(ctx.req, MAX_IMAGE);
  if (!bytes) throw new BadRequest(413, 'IMAGE_TOO_LARGE', '图片不能超过 10 MB');
  if (bytes.length === 0) throw new BadRequest(400, 'EMPTY_IMAGE', '图片内容为空');
  if (imageType(bytes) !== type)
    throw new BadRequest(400, 'BAD_IMAGE', `内容不是 ${type === 'image/png' ? 'PNG' : 'JPEG'} 图片`);
  return bytes;
}
