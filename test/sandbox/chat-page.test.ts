import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decryptLarkEvent } from '../../src/lark/decrypt-event.js';
import { computeLarkSignature } from '../../src/lark/verify-signature.js';
import { SANDBOX_CHAT, SANDBOX_USERS } from '../../src/sandbox/sandbox-users.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { png } from '../helpers/png.js';
import { contentOf, testSandbox, waitFor } from '../helpers/sandbox.js';

const WANG = SANDBOX_USERS[0]!.openId;
const ADMIN = SANDBOX_USERS.find((u) => u.admin)!.openId;
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

let sb: Sandbox;
beforeEach(async () => {
  sb = await testSandbox({}, { chatPage: true });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await sb.close();
});

const url = (path: string) => new URL(path, sb.pageUrl).toString();
const postJson = (path: string, body: unknown) =>
  fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('chat page routes', () => {
  it('serves the page and its assets', async () => {
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/sandbox/app.js', 'text/javascript'],
      ['/sandbox/style.css', 'text/css'],
    ] as const) {
      const res = await fetch(url(path));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
    }
  });

  it('answers 400 with a JSON error for bad input', async () => {
    expect(await errorCode(await postJson('/sandbox/messages', { user: 'ou_nobody', text: '/help' }))).toBe(
      'BAD_USER',
    );
    expect(await errorCode(await postJson('/sandbox/messages', { user: WANG, text: '  ' }))).toBe('BAD_TEXT');
    expect(
      await errorCode(await postJson('/sandbox/messages', { user: WANG, text: '/help', parentId: 'om_x' })),
    ).toBe('BAD_PARENT');
    const notJson = await fetch(url('/sandbox/messages'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(await errorCode(notJson)).toBe('BAD_JSON');
    expect(await errorCode(await postJson('/sandbox/knobs', { fault: 'meteor' }))).toBe('BAD_FAULT');
    expect(await errorCode(await postJson('/sandbox/knobs', { generationMs: -5 }))).toBe('BAD_GENERATION_MS');
    const gif = await fetch(url(`/sandbox/images?user=${WANG}`), {
      method: 'POST',
      headers: { 'content-type': 'image/gif' },
      body: Buffer.from('GIF89a'),
    });
    expect(gif.status).toBe(415);
    const fake = await fetch(url(`/sandbox/images?user=${WANG}`), {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: Buffer.from('not a png'),
    });
    expect(await errorCode(fake)).toBe('BAD_IMAGE');
    expect(sb.feishu.messages).toHaveLength(0);
  });

  it('posts an image message and serves it back', async () => {
    const bytes = Buffer.concat([PNG_HEAD, Buffer.from('rest of the png')]);
    const res = await fetch(url(`/sandbox/images?user=${WANG}`), {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: bytes,
    });
    expect(res.status).toBe(200);
    const { messageId } = (await res.json()) as { messageId: string };
    const msg = sb.feishu.getStoredMessage(messageId)!;
    expect(msg).toMatchObject({ msgType: 'image', senderId: WANG });
    const key = (JSON.parse(msg.content) as { image_key: string }).image_key;
    const back = await fetch(url(`/sandbox/images/${key}`));
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await back.arrayBuffer())).toEqual(bytes);
  });

  it('sets the simulator knobs', async () => {
    await postJson('/sandbox/knobs', { fault: 'fail_next' });
    await postJson('/sandbox/knobs', { fault: 'qps' });
    const res = await postJson('/sandbox/knobs', { generationMs: 2500 });
    expect(await res.json()).toEqual({ generationMs: 2500, pendingFaults: ['qps'], failNextTasks: 1 });
    expect(sb.jimeng.faults).toMatchObject({ next: ['qps'], failNextTasks: 1 });
    await postJson('/sandbox/knobs', { clearFaults: true });
    expect(sb.jimeng.faults).toMatchObject({ next: [], failNextTasks: 0 });
  });

  it('streams a snapshot then live messages, and serves the video with Range', async () => {
    const abort = new AbortController();
    const res = await fetch(url('/sandbox/events'), { signal: abort.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += Buffer.from(value).toString('utf8');
      }
    };
    await readUntil('event: snapshot');
    expect(sb.feishu.listenerCount('message')).toBe(1);

    const sent = await postJson('/sandbox/messages', { user: WANG, text: '/video 橘猫打哈欠' });
    expect(sent.status).toBe(200);
    await readUntil('"msgType":"media"'); // the video, in the thread
    await readUntil('✅ 视频已生成'); // the card, patched
    expect(text).toContain('event: patch');

    const fileKey = sb.feishu.uploads[0]!.fileKey;
    const size = sb.feishu.uploads[0]!.bytes.length;
    const whole = await fetch(url(`/sandbox/files/${fileKey}`));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(whole.headers.get('content-length'))).toBe(size);
    const part = await fetch(url(`/sandbox/files/${fileKey}`), { headers: { range: 'bytes=4-7' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 4-7/${size}`);
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1')).toBe('ftyp');
    const beyond = await fetch(url(`/sandbox/files/${fileKey}`), { headers: { range: `bytes=${size}-` } });
    expect(beyond.status).toBe(416);
    expect((await fetch(url('/sandbox/files/file_v3_nope'))).status).toBe(404);

    abort.abort();
    await waitFor(() => sb.feishu.listenerCount('message') === 0, 5000, 'the stream listeners to go');
  });
});

describe('chat page: mentions and posts', () => {
  it('turns every @member into a real mention, so /quota set @小王 10 works', async () => {
    const res = await postJson('/sandbox/messages', { user: ADMIN, text: '/quota set @小王 10' });
    expect(res.status).toBe(200);
    const { messageId } = (await res.json()) as { messageId: string };
    const sent = sb.feishu.getStoredMessage(messageId)!;
    expect(contentOf(sent)).toEqual({ text: '/quota set @_user_1 10' });
    expect(sent.mentions).toEqual([{ key: '@_user_1', openId: WANG, name: '小王' }]);
    const reply = await waitFor(() => sb.feishu.botMessages().find((m) => m.parentId === messageId));
    expect(contentOf(reply).text).toContain('每日额度设为 10');
  });

  it('keeps mentions apart by the longest name and numbers them in order', async () => {
    const text = `@${sb.feishu.botName} @管理员 Admin 和 @小李 看看，@小张 不是成员`;
    const { messageId } = (await (await postJson('/sandbox/messages', { user: WANG, text })).json()) as {
      messageId: string;
    };
    const sent = sb.feishu.getStoredMessage(messageId)!;
    expect(contentOf(sent).text).toBe('@_user_1 @_user_2 和 @_user_3 看看，@小张 不是成员');
    expect(sent.mentions?.map((m) => [m.key, m.name])).toEqual([
      ['@_user_1', sb.feishu.botName],
      ['@_user_2', '管理员 Admin'],
      ['@_user_3', '小李'],
    ]);
    expect(sent.mentions?.[0]?.openId).toBe(sb.feishu.botOpenId);
  });

  it('sends a post carrying two uploaded images and the text, as Feishu delivers a post', async () => {
    const keys: string[] = [];
    for (const size of [480, 520]) {
      const up = await fetch(url(`/sandbox/uploads?user=${WANG}`), {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: new Uint8Array(png(size, 360)),
      });
      expect(up.status).toBe(200);
      keys.push(((await up.json()) as { imageKey: string }).imageKey);
    }
    expect(sb.feishu.messages).toHaveLength(0); // uploads alone post nothing
    const res = await postJson('/sandbox/messages', {
      user: WANG,
      text: '/video 从白天到黑夜 @小李',
      images: keys,
    });
    expect(res.status).toBe(200);
    const { messageId } = (await res.json()) as { messageId: string };
    const post = sb.feishu.getStoredMessage(messageId)!;
    expect(post.msgType).toBe('post');
    expect(contentOf(post)).toEqual({
      title: '',
      content: [
        [
          { tag: 'text', text: '/video 从白天到黑夜 ' },
          { tag: 'at', user_id: '@_user_1', user_name: '小李' },
        ],
        [{ tag: 'img', image_key: keys[0] }],
        [{ tag: 'img', image_key: keys[1] }],
      ],
    });
    // The bot reads the post (it answers it in the thread) and can download both images.
    await waitFor(() => sb.feishu.botMessages().some((m) => m.parentId === messageId), 10_000, 'an answer');
    expect(
      await errorCode(await postJson('/sandbox/messages', { user: WANG, text: '', images: ['img_nope'] })),
    ).toBe('BAD_IMAGES');
  });
});

describe('chat page: card buttons and forms', () => {
  /** A card from the bot in the sandbox chat, sent through the bot's own Feishu client. */
  async function botCard(elements: object[]): Promise<string> {
    const card = {
      schema: '2.0',
      config: { update_multi: true },
      header: { title: { tag: 'plain_text', content: '测试卡片' } },
      body: { elements },
    };
    const sent = await sb.app.messenger.sendCard(SANDBOX_CHAT, card, { uuid: `t-${Date.now()}` });
    return sent.messageId;
  }

  /** Records what the page's server posts to the bot's webhook (decrypted), passing it on unchanged. */
  function captureCallbacks(answer?: (body: unknown) => Response | Promise<Response>) {
    const seen: { headers: Headers; raw: string; payload: { header: unknown; event: unknown } }[] = [];
    const real = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      if (String(input) !== sb.webhookUrl) return real(input, init);
      const raw = String(init?.body);
      const payload = JSON.parse(decryptLarkEvent(sb.config.lark.encryptKey, JSON.parse(raw).encrypt));
      seen.push({ headers: new Headers(init?.headers), raw, payload });
      if (!answer) return real(input, init);
      const signal = init?.signal;
      return Promise.race([
        answer(payload),
        new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
      ]);
    });
    return seen;
  }

  it('sends a click to the bot as a signed, encrypted card.action.trigger and returns its toast', async () => {
    const messageId = await botCard([
      {
        tag: 'button',
        text: { tag: 'plain_text', content: '取消' },
        behaviors: [{ type: 'callback', value: { action: 'cancel', job: 'J9999' } }],
      },
    ]);
    const seen = captureCallbacks();
    const res = await postJson('/sandbox/card-actions', {
      user: WANG,
      messageId,
      value: { action: 'cancel', job: 'J9999' },
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as { toast: { type: string; content: string }; cardReplaced: boolean };
    expect(view.toast.content).toContain('J9999'); // "找不到任务 J9999…", from the bot's card-action handler
    expect(view.cardReplaced).toBe(false);

    expect(seen).toHaveLength(1);
    const { headers, raw, payload } = seen[0]!;
    const ts = headers.get('x-lark-request-timestamp')!;
    const nonce = headers.get('x-lark-request-nonce')!;
    expect(headers.get('x-lark-signature')).toBe(
      computeLarkSignature(ts, nonce, sb.config.lark.encryptKey, Buffer.from(raw)),
    );
    expect(payload.header).toMatchObject({
      event_type: 'card.action.trigger',
      token: sb.config.lark.verificationToken,
    });
    expect(payload.event).toMatchObject({
      operator: { open_id: WANG },
      action: { tag: 'button', value: { action: 'cancel', job: 'J9999' } },
      context: { open_message_id: messageId, open_chat_id: SANDBOX_CHAT },
    });
  });

  it('sends a form submit with form_value and the button name', async () => {
    const messageId = await botCard([
      {
        tag: 'form',
        name: 'edit',
        elements: [
          { tag: 'input', name: 'prompt', default_value: '橘猫' },
          {
            tag: 'button',
            name: 'submit',
            form_action_type: 'submit',
            text: { tag: 'plain_text', content: '生成' },
            behaviors: [{ type: 'callback', value: { action: 'edit', job: 'J0001' } }],
          },
        ],
      },
    ]);
    const seen = captureCallbacks();
    const res = await postJson('/sandbox/card-actions', {
      user: ADMIN,
      messageId,
      value: { action: 'edit', job: 'J0001' },
      formValue: { prompt: '橘猫在雪地里打滚' },
      name: 'submit',
    });
    expect(res.status).toBe(200);
    expect(seen[0]!.payload.event).toMatchObject({
      operator: { open_id: ADMIN },
      action: {
        tag: 'button',
        name: 'submit',
        value: { action: 'edit', job: 'J0001' },
        form_value: { prompt: '橘猫在雪地里打滚' },
      },
    });
  });

  it("replaces the card at once with the answer's card, and reports a bot that does not answer in 3 s", async () => {
    const messageId = await botCard([{ tag: 'markdown', content: 'before' }]);
    const next = {
      schema: '2.0',
      config: { update_multi: true },
      body: { elements: [{ tag: 'markdown', content: 'after' }] },
    };
    captureCallbacks(
      () =>
        new Response(
          JSON.stringify({ toast: { type: 'success', content: '好了' }, card: { type: 'raw', data: next } }),
        ),
    );
    const updates: string[] = [];
    sb.feishu.on('update', (m) => updates.push(m.messageId));
    const view = await (await postJson('/sandbox/card-actions', { user: WANG, messageId, value: {} })).json();
    expect(view).toEqual({ toast: { type: 'success', content: '好了' }, cardReplaced: true });
    expect(contentOf(sb.feishu.getStoredMessage(messageId)!)).toEqual(next);
    expect(updates).toEqual([messageId]);

    vi.restoreAllMocks();
    // A bot that never answers: the request is given up after 3 s, as Feishu does.
    captureCallbacks(() => new Promise<Response>(() => {}));
    const slow = await (await postJson('/sandbox/card-actions', { user: WANG, messageId, value: {} })).json();
    expect(slow.toast).toMatchObject({ type: 'error' });
    expect(slow.toast.content).toContain('3 秒');
  });

  it('refuses a click on something that is not a bot card', async () => {
    const { messageId } = (await (
      await postJson('/sandbox/messages', { user: WANG, text: 'hi' })
    ).json()) as {
      messageId: string;
    };
    expect(await errorCode(await postJson('/sandbox/card-actions', { user: WANG, messageId }))).toBe(
      'BAD_CARD',
    );
    expect(await errorCode(await postJson('/sandbox/card-actions', { user: 'ou_x', messageId }))).toBe(
      'BAD_USER',
    );
  });
});
