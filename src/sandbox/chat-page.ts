import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { StoredMessage } from './fake-feishu.js';
import type { FaultKind } from './jimeng-simulator.js';
import { SANDBOX_CHAT, SANDBOX_USERS, sandboxUser } from './sandbox-users.js';
import type { Sandbox } from './start-sandbox.js';

/** What the chat page needs from the sandbox (everything but the app, which is built after the routes). */
export type ChatPageSandbox = Omit<Sandbox, 'app' | 'pageUrl'>;

export interface ChatPage {
  router: Router;
  /** Ends every open event stream (they would otherwise keep the HTTP server from closing). */
  close(): void;
}

/** A chat message as the page renders it: the current content (after patches), parsed. */
export interface ChatMessageView {
  id: string;
  msgType: string;
  content: unknown;
  sender: { type: 'app' | 'user'; id: string; name: string };
  parentId?: string;
  rootId?: string;
  threadId?: string;
  mentions?: { key: string; name: string }[];
  createTime: number;
  updateTime: number;
}

export interface KnobsView {
  generationMs: number;
  /** One-shot simulator faults not yet consumed. */
  pendingFaults: string[];
  failNextTasks: number;
}

const SIM_FAULTS: readonly FaultKind[] = [
  'qps',
  'concurrency',
  'risk_text',
  'risk_image',
  'risk_output',
  'fail',
  '500',
  'slow',
  'hang',
];
const FAULTS = new Set<string>([...SIM_FAULTS, 'fail_next']);
const MAX_TEXT = 4000;
const MAX_JSON = 64 * 1024;
const MAX_IMAGE = 10 * 1024 * 1024;
const MAX_GENERATION_MS = 10 * 60_000;
const HEARTBEAT_MS = 15_000;

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/sandbox/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/sandbox/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/** The page files live in src/sandbox/page/; `tsc` does not copy them, so dist/ falls back to src/. */
const PAGE_DIRS = [
  fileURLToPath(new URL('./page/', import.meta.url)),
  fileURLToPath(new URL('../../src/sandbox/page/', import.meta.url)),
];

async function readPageFile(name: string): Promise<Buffer> {
  for (const dir of PAGE_DIRS) {
    try {
      return await readFile(dir + name);
    } catch {
      // try the next one
    }
  }
  throw new Error(`sandbox chat page: ${name} not found (looked in ${PAGE_DIRS.join(', ')})`);
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The routes of the sandbox chat page (see createChatPage). */
export function createChatRoutes(sandbox: ChatPageSandbox): Router {
  return createChatPage(sandbox).router;
}

/**
 * The sandbox's web chat page on the bot's own Koa app: the page and its assets, a server-sent event
 * stream of the group chat (snapshot, then new messages and card patches), posting text and images as
 * one of the simulated users, the uploaded videos (with Range) and the simulator knobs.
 */
export function createChatPage(sandbox: ChatPageSandbox): ChatPage {
  const { feishu, jimeng } = sandbox;
  const router = new Router();
  const clients = new Set<{ res: ServerResponse }>();
  let generationMs = Math.round(sandbox.config.jimeng.expectedGenerationSeconds * 1000);

  const userName = (openId: string) => sandboxUser(openId)?.name ?? openId;
  const view = (m: StoredMessage): ChatMessageView => {
    let content: unknown;
    try {
      content = JSON.parse(m.content);
    } catch {
      content = m.content;
    }
    const v: ChatMessageView = {
      id: m.messageId,
      msgType: m.msgType,
      content,
      sender: {
        type: m.senderType,
        id: m.senderId,
        name: m.senderType === 'app' ? feishu.botName : userName(m.senderId),
      },
      createTime: m.createTime,
      updateTime: m.updateTime,
    };
    if (m.parentId) v.parentId = m.parentId;
    if (m.rootId) v.rootId = m.rootId;
    if (m.threadId) v.threadId = m.threadId;
    if (m.mentions?.length) v.mentions = m.mentions.map((x) => ({ key: x.key, name: x.name }));
    return v;
  };
  const knobs = (): KnobsView => ({
    generationMs,
    pendingFaults: [...jimeng.faults.next],
    failNextTasks: jimeng.faults.failNextTasks,
  });
  const snapshot = () => ({
    chatId: SANDBOX_CHAT,
    bot: { name: feishu.botName, openId: feishu.botOpenId },
    users: SANDBOX_USERS,
    messages: feishu.messages.filter((m) => m.chatId === SANDBOX_CHAT).map(view),
    knobs: knobs(),
  });

  const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  const broadcast = (event: string, data: unknown) => {
    const text = frame(event, data);
    for (const c of clients) c.res.write(text);
  };
  const onMessage = (m: StoredMessage) => {
    if (m.chatId !== SANDBOX_CHAT) return;
    broadcast('message', view(m));
    broadcast('knobs', knobs());
  };
  const onPatch = (p: { message: StoredMessage }) => {
    if (p.message.chatId !== SANDBOX_CHAT) return;
    broadcast('patch', view(p.message));
    broadcast('knobs', knobs());
  };
  let listening = false;
  const listen = (on: boolean) => {
    if (on === listening) return;
    listening = on;
    if (on) {
      feishu.on('message', onMessage);
      feishu.on('patch', onPatch);
    } else {
      feishu.off('message', onMessage);
      feishu.off('patch', onPatch);
    }
  };

  for (const [path, asset] of Object.entries(ASSETS)) {
    router.get(path, async (ctx) => {
      ctx.type = asset.type;
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = await readPageFile(asset.file);
    });
  }

  router.get('/sandbox/events', (ctx) => {
    // Written straight to the socket (ctx.respond = false): a stream body would make Koa report every
    // closed tab as a "Premature close" error.
    const { req, res } = ctx;
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);
    ctx.respond = false;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\n${frame('snapshot', snapshot())}`);
    const client = { res };
    clients.add(client);
    listen(true);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.once('close', () => {
      clearInterval(heartbeat);
      clients.delete(client);
      if (clients.size === 0) listen(false);
    });
  });

  router.post('/sandbox/messages', async (ctx) => {
    await answer(ctx, async () => {
      const body = await readJson(ctx.req);
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
      const bytes = await readBody(ctx.req, MAX_IMAGE);
      if (!bytes) throw new BadRequest(413, 'IMAGE_TOO_LARGE', '图片不能超过 10 MB');
      if (bytes.length === 0) throw new BadRequest(400, 'EMPTY_IMAGE', '图片内容为空');
      if (imageType(bytes) !== type)
        throw new BadRequest(400, 'BAD_IMAGE', `内容不是 ${type === 'image/png' ? 'PNG' : 'JPEG'} 图片`);
      return sandbox.sendImage({ senderOpenId: user, bytes });
    });
  });

  router.get('/sandbox/files/:fileKey', (ctx) => {
    const upload = feishu.uploads.find((u) => u.fileKey === ctx.params.fileKey);
    if (!upload) return notFound(ctx, '没有这个文件');
    ctx.type = upload.fileType === 'mp4' ? 'video/mp4' : 'application/octet-stream';
    serveBytes(ctx, upload.bytes);
  });

  router.get('/sandbox/images/:imageKey', (ctx) => {
    const image = feishu.images.get(ctx.params.imageKey ?? '');
    if (!image) return notFound(ctx, '没有这张图片');
    ctx.type = imageType(image.bytes) ?? 'application/octet-stream';
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.body = image.bytes;
  });

  router.post('/sandbox/knobs', async (ctx) => {
    await answer(ctx, async () => {
      const body = await readJson(ctx.req);
      const { fault } = body;
      const ms = body.generationMs;
      if (
        ms !== undefined &&
        (!Number.isInteger(ms) || (ms as number) < 0 || (ms as number) > MAX_GENERATION_MS)
      )
        throw new BadRequest(
          400,
          'BAD_GENERATION_MS',
          `generationMs 必须是 0–${MAX_GENERATION_MS} 的整数（毫秒）`,
        );
      if (fault !== undefined && (typeof fault !== 'string' || !FAULTS.has(fault)))
        throw new BadRequest(400, 'BAD_FAULT', `fault 必须是以下之一：${[...FAULTS].join(', ')}`);
      if (body.clearFaults !== undefined && typeof body.clearFaults !== 'boolean')
        throw new BadRequest(400, 'BAD_CLEAR', 'clearFaults 必须是布尔值');
      if (typeof ms === 'number') {
        generationMs = ms;
        jimeng.setGenerationMs(ms);
      }
      if (body.clearFaults === true) {
        jimeng.faults.next.length = 0;
        jimeng.faults.failNextTasks = 0;
      }
      if (fault === 'fail_next') jimeng.faults.failNextTasks += 1;
      else if (typeof fault === 'string') jimeng.inject(fault as FaultKind);
      const k = knobs();
      broadcast('knobs', k);
      return k;
    });
  });

  return {
    router,
    close() {
      for (const c of clients) {
        c.res.end();
        c.res.socket?.destroy();
      }
      clients.clear();
      listen(false);
    },
  };
}

function checkUser(user: unknown): string {
  if (typeof user !== 'string' || !sandboxUser(user))
    throw new BadRequest(
      400,
      'BAD_USER',
      `user 必须是模拟用户之一：${SANDBOX_USERS.map((u) => `${u.openId}（${u.name}）`).join('、')}`,
    );
  return user;
}

async function answer(ctx: Context, work: () => Promise<unknown>): Promise<void> {
  try {
    ctx.body = await work();
  } catch (e) {
    if (!(e instanceof BadRequest)) throw e;
    ctx.status = e.status;
    ctx.body = { error: { code: e.code, message: e.message } };
  }
}

function notFound(ctx: Context, message: string): void {
  ctx.status = 404;
  ctx.body = { error: { code: 'NOT_FOUND', message } };
}

/** 200 with the whole body, or 206 for one `bytes=` range (what <video> asks for when seeking). */
function serveBytes(ctx: Context, bytes: Buffer): void {
  const size = bytes.length;
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Cache-Control', 'private, max-age=3600');
  const range = ctx.get('range');
  if (!range) {
    ctx.body = bytes;
    return;
  }
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  let start = Number.NaN;
  let end = Number.NaN;
  if (m && (m[1] || m[2])) {
    if (m[1]) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    } else {
      start = Math.max(0, size - Number(m[2]));
      end = size - 1;
    }
  }
  if (!(start <= end && start < size)) {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${size}`);
    ctx.body = '';
    return;
  }
  ctx.status = 206;
  ctx.set('Content-Range', `bytes ${start}-${end}/${size}`);
  ctx.body = bytes.subarray(start, end + 1);
}

function imageType(bytes: Buffer): 'image/png' | 'image/jpeg' | undefined {
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

/** The body, or null when it is over `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    // Read to the end even when over the limit (leaving early would destroy the socket, and the answer).
    const buf = chunk as Buffer;
    size += buf.length;
    if (size <= limit) chunks.push(buf);
  }
  return size > limit ? null : Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    throw new BadRequest(415, 'BAD_CONTENT_TYPE', 'Content-Type 必须是 application/json');
  const body = await readBody(req, MAX_JSON);
  if (!body) throw new BadRequest(413, 'BODY_TOO_LARGE', '请求体过大');
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequest(400, 'BAD_JSON', '请求体不是合法的 JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new BadRequest(400, 'BAD_JSON', '请求体必须是 JSON 对象');
  return v as Record<string, unknown>;
}
