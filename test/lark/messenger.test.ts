import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LarkApiError } from '../../src/lark/lark-error.js';
import { Messenger, type MessengerOptions } from '../../src/lark/messenger.js';
import { type FakeFeishu, startFakeFeishu } from '../../src/sandbox/fake-feishu.js';

const fakes: FakeFeishu[] = [];
let n = 0;

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function setup(opts: Partial<MessengerOptions> = {}) {
  // distinct app ids per test: nothing may leak through token caches
  const appId = `cli_${(++n).toString(16).padStart(16, '0')}`;
  const fake = await startFakeFeishu({ appId, appSecret: 'secret', botOpenId: 'ou_bot', botName: '即梦' });
  fakes.push(fake);
  const messenger = new Messenger({
    appId,
    appSecret: 'secret',
    domain: fake.url,
    baseDelayMs: 5,
    timeoutMs: 2000,
    ...opts,
  });
  const userMsg = fake.addUserMessage({
    chatId: 'oc_chat',
    senderOpenId: 'ou_user',
    msgType: 'text',
    content: { text: '/video 猫' },
  });
  return { fake, messenger, userMsg };
}

const card = (title: string) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: title } },
  body: { elements: [{ tag: 'markdown', content: title }] },
});

describe('Messenger against the fake Feishu', () => {
  it('reads the bot identity', async () => {
    const { messenger } = await setup();
    expect(await messenger.botInfo()).toEqual({ openId: 'ou_bot', name: '即梦' });
  });

  it('replies in a thread; the same uuid twice yields one message', async () => {
    const { fake, messenger, userMsg } = await setup();
    const a = await messenger.replyText(userMsg, '收到，正在生成', { uuid: 'u-1', inThread: true });
    const b = await messenger.replyText(userMsg, '收到，正在生成', { uuid: 'u-1', inThread: true });
    expect(b.messageId).toBe(a.messageId);
    const sent = fake.botMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      messageId: a.messageId,
      chatId: 'oc_chat',
      msgType: 'text',
      parentId: userMsg,
      rootId: userMsg,
      replyInThread: true,
      uuid: 'u-1',
    });
    expect(sent[0]?.threadId).toMatch(/^omt_/);
    expect(JSON.parse(sent[0]?.content ?? '')).toEqual({ text: '收到，正在生成' });
  });

  it('sends a card, patches it and reads it back', async () => {
    const { fake, messenger, userMsg } = await setup();
    const { messageId } = await messenger.replyCard(userMsg, card('排队中'), { uuid: 'c-1' });
    await messenger.patchCard(messageId, card('生成中 50%'));
    expect(fake.patches).toHaveLength(1);
    expect(JSON.parse(fake.patches[0]?.content ?? '')).toEqual(card('生成中 50%'));
    const got = await messenger.getMessage(messageId);
    expect(got).toMatchObject({
      messageId,
      msgType: 'interactive',
      content: card('生成中 50%'),
      chatId: 'oc_chat',
    });
    expect(await messenger.getMessage('om_missing')).toBeNull();
  });

  it('reports a card without update_multi as BAD_REQUEST (not retried)', async () => {
    const { fake, messenger, userMsg } = await setup();
    const { messageId } = await messenger.replyCard(userMsg, { elements: [] }, { uuid: 'c-2' });
    const err = await messenger.patchCard(messageId, card('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LarkApiError);
    expect(err).toMatchObject({ code: 'BAD_REQUEST', larkCode: 230099, httpStatus: 400, retryable: false });
    expect(fake.calls.filter((c) => c.route === 'patch')).toHaveLength(1);
  });

  it('downloads a user image byte for byte', async () => {
    const { fake, messenger } = await setup();
    const bytes = randomBytes(300_000);
    const { messageId, imageKey } = fake.addImageMessage({
      chatId: 'oc_chat',
      senderOpenId: 'ou_user',
      bytes,
    });
    expect((await messenger.downloadImage(messageId, imageKey)).equals(bytes)).toBe(true);
    const err = await messenger.downloadImage(messageId, 'img_other').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_FOUND', larkCode: 234003 });
  });

  it('refuses an image above maxDownloadBytes', async () => {
    const { fake, messenger } = await setup({ maxDownloadBytes: 1000 });
    const { messageId, imageKey } = fake.addImageMessage({
      chatId: 'oc_chat',
      senderOpenId: 'ou_user',
      bytes: randomBytes(5000),
    });
    await expect(messenger.downloadImage(messageId, imageKey)).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('uploads an mp4 (bytes and duration intact) and sends it as media', async () => {
    const { fake, messenger, userMsg } = await setup();
    const video = randomBytes(2 * 1024 * 1024);
    const fileKey = await messenger.uploadVideo(video, 'jimeng.mp4', 5041.6);
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]).toMatchObject({
      fileKey,
      fileType: 'mp4',
      fileName: 'jimeng.mp4',
      duration: 5042,
    });
    expect(fake.uploads[0]?.bytes.equals(video)).toBe(true);
    const sent = await messenger.replyMedia(userMsg, fileKey, { uuid: 'm-1', inThread: true });
    const msg = fake.getStoredMessage(sent.messageId);
    expect(msg?.msgType).toBe('media');
    expect(JSON.parse(msg?.content ?? '')).toEqual({ file_key: fileKey });
  });

  it('the upload carries its file name, as the official examples send it (the fake refuses a part without one)', async () => {
    const { fake, messenger } = await setup();
    expect(fake.requireFileName).toBe(true);
    await messenger.uploadVideo(randomBytes(1000), 'J0007.mp4', 5000);
    expect(fake.uploads[0]).toMatchObject({ fileName: 'J0007.mp4', fileType: 'mp4', duration: 5000 });
  });

  it('an upload answered HTTP 200 with a non-zero code keeps its code and message in the error', async () => {
    const { fake, messenger } = await setup();
    fake.faults.next.push({
      route: 'upload',
      kind: 'code',
      code: 234006,
      msg: 'The file size exceed the max value.',
    });
    const err = await messenger.uploadVideo(randomBytes(1000), 'J0001.mp4', 5000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LarkApiError);
    expect(err).toMatchObject({ larkCode: 234006, httpStatus: 200, code: 'TOO_LARGE' });
    expect((err as Error).message).toContain('The file size exceed the max value.');
  });

  it('a chat that refuses thread replies (230071) is answered without a thread, once, and remembered', async () => {
    const refused = new Set<string>();
    const threads = {
      refused: async (chatId: string) => refused.has(chatId),
      markRefused: async (chatId: string) => {
        refused.add(chatId);
      },
    };
    const { fake, messenger } = await setup({ threads });
    fake.addChat({ chatId: 'oc_flat', threads: 'refused' });
    const first = fake.addUserMessage({
      chatId: 'oc_flat',
      senderOpenId: 'ou_user',
      msgType: 'text',
      content: { text: '/help' },
    });
    const a = await messenger.replyText(first, 'hi', { uuid: 'u-flat-1', inThread: true, chatId: 'oc_flat' });
    expect(fake.getStoredMessage(a.messageId)).toMatchObject({ replyInThread: false, parentId: first });
    expect(refused.has('oc_flat')).toBe(true);
    const replies = () => fake.calls.filter((c) => c.route === 'reply');
    expect(replies().map((c) => c.code)).toEqual([230071, 0]);
    // Later replies in that chat go straight, without trying a thread first.
    const second = fake.addUserMessage({
      chatId: 'oc_flat',
      senderOpenId: 'ou_user',
      msgType: 'text',
      content: { text: '/models' },
    });
    await messenger.replyText(second, 'hello', { uuid: 'u-flat-2', inThread: true, chatId: 'oc_flat' });
    expect(replies().map((c) => c.code)).toEqual([230071, 0, 0]);
  });

  it('a message kind that cannot take a thread reply (230072) is answered without a thread; the chat is not marked', async () => {
    const marked: string[] = [];
    const threads = { refused: async () => false, markRefused: async (c: string) => void marked.push(c) };
    const { fake, messenger } = await setup({ threads });
    const msg = fake.addUserMessage({
      chatId: 'oc_chat',
      senderOpenId: 'ou_user',
      msgType: 'merge_forward',
      content: {},
    });
    const r = await messenger.replyText(msg, 'x', { uuid: 'u-agg', inThread: true, chatId: 'oc_chat' });
    expect(fake.getStoredMessage(r.messageId)?.replyInThread).toBe(false);
    expect(marked).toEqual([]);
  });

  it('a recalled message and a chat without the bot fail with their own codes, not retried', async () => {
    const { fake, messenger, userMsg } = await setup();
    fake.recall(userMsg);
    await expect(messenger.replyText(userMsg, 'x', { uuid: 'u-rec', inThread: true })).rejects.toMatchObject({
      code: 'RECALLED',
      larkCode: 230011,
      retryable: false,
    });
    const other = fake.addUserMessage({
      chatId: 'oc_gone',
      senderOpenId: 'ou_user',
      msgType: 'text',
      content: { text: 'x' },
    });
    fake.removeBot('oc_gone');
    await expect(messenger.replyText(other, 'x', { uuid: 'u-gone' })).rejects.toMatchObject({
      code: 'BOT_NOT_IN_CHAT',
      larkCode: 230002,
    });
    await expect(messenger.sendText('oc_gone', 'x', { uuid: 'u-gone-2' })).rejects.toMatchObject({
      code: 'BOT_NOT_IN_CHAT',
    });
    expect(await messenger.getMessage(userMsg)).toBeNull();
  });

  it('refuses files above 30 MB without calling Feishu', async () => {
    const { fake, messenger } = await setup();
    const err = await messenger
      .uploadVideo(Buffer.alloc(30 * 1024 * 1024 + 1), 'big.mp4', 1000)
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'TOO_LARGE' });
    expect(fake.calls.filter((c) => c.route === 'upload')).toHaveLength(0);
  });

  it('retries a 500 on reply and ends with exactly one message', async () => {
    const { fake, messenger, userMsg } = await setup();
    fake.faults.next.push({ route: 'reply', kind: '500' }, { route: 'reply', kind: '500', after: true });
    const sent = await messenger.replyText(userMsg, '好了', { uuid: 'r-1', inThread: true });
    expect(fake.calls.filter((c) => c.route === 'reply').map((c) => c.status)).toEqual([500, 500, 200]);
    expect(fake.botMessages()).toHaveLength(1);
    expect(fake.botMessages()[0]?.messageId).toBe(sent.messageId);
  });

  it('retries a timeout (the lost answer had created the message) without duplicating', async () => {
    const { fake, messenger, userMsg } = await setup({ timeoutMs: 300 });
    fake.faults.next.push({ route: 'reply', kind: 'timeout', after: true });
    const sent = await messenger.replyText(userMsg, '好了', { uuid: 't-1' });
    expect(fake.botMessages()).toHaveLength(1);
    expect(fake.botMessages()[0]?.messageId).toBe(sent.messageId);
  });

  it('retries a rate limit, and gives up after the configured retries', async () => {
    const { fake, messenger, userMsg } = await setup({ retries: 2 });
    fake.faults.next.push({ route: 'reply', kind: 'rate_limit' });
    await messenger.replyText(userMsg, 'a', { uuid: 'rl-1' });
    fake.faults.next.push(
      ...Array.from({ length: 3 }, () => ({ route: 'reply' as const, kind: '500' as const })),
    );
    const err = await messenger.replyText(userMsg, 'b', { uuid: 'rl-2' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERVER_ERROR', httpStatus: 500, retryable: true });
    expect(fake.calls.filter((c) => c.route === 'reply')).toHaveLength(5);
    expect(fake.botMessages()).toHaveLength(1);
  });

  it('fetches a new token when the cached one is rejected', async () => {
    const { fake, messenger, userMsg } = await setup();
    await messenger.replyText(userMsg, 'a', { uuid: 'tok-1' });
    fake.revokeTokens();
    await messenger.replyText(userMsg, 'b', { uuid: 'tok-2' });
    expect(fake.calls.filter((c) => c.route === 'token')).toHaveLength(2);
    expect(fake.botMessages()).toHaveLength(2);
  });

  it('maps wrong credentials to AUTH without retrying', async () => {
    const { fake } = await setup();
    const bad = new Messenger({
      appId: 'cli_ffffffffffffffff',
      appSecret: 'nope',
      domain: fake.url,
      baseDelayMs: 5,
    });
    const err = await bad.botInfo().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AUTH', larkCode: 10003, retryable: false });
    expect(JSON.stringify(err)).not.toContain('nope');
    expect(String((err as Error).message)).not.toContain('nope');
  });

  it('maps a closed port to NETWORK', async () => {
    const { fake } = await setup();
    const url = fake.url;
    await fake.close();
    fakes.length = 0;
    const m = new Messenger({
      appId: 'cli_eeeeeeeeeeeeeeee',
      appSecret: 's',
      domain: url,
      baseDelayMs: 1,
      retries: 1,
    });
    await expect(m.botInfo()).rejects.toMatchObject({ code: 'NETWORK', retryable: true });
  });
});
