import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_USERS } from '../../src/sandbox/sandbox-users.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { testSandbox, waitFor } from '../helpers/sandbox.js';

const WANG = SANDBOX_USERS[0]!.openId;
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

let sb: Sandbox;
beforeEach(async () => {
  sb = await testSandbox({}, { chatPage: true });
});
afterEach(async () => {
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
