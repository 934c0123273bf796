import { afterEach, describe, expect, it } from 'vitest';
import { type FeishuApi, startFeishuApi, text } from './fake-feishu-client.js';

let t: FeishuApi | undefined;
afterEach(async () => {
  await t?.f.close();
  t = undefined;
});

const userMessage = (api: FeishuApi, chatId = 'oc_1', extra: Record<string, unknown> = {}) =>
  api.f.addUserMessage({ chatId, senderOpenId: 'ou_u', msgType: 'text', content: { text: 'hi' }, ...extra });
const replyTo = (api: FeishuApi, id: string, body: Record<string, unknown>) =>
  api.call('POST', `/open-apis/im/v1/messages/${id}/reply`, body);

describe('fake Feishu: chats that refuse thread replies', () => {
  it('answers 230071 to reply_in_thread in such a chat; the plain reply works', async () => {
    t = await startFeishuApi();
    t.f.addChat({ chatId: 'oc_nothreads', threads: 'refused' });
    const root = userMessage(t, 'oc_nothreads');
    const inThread = await replyTo(t, root, { ...text('yo'), reply_in_thread: true });
    expect(inThread).toEqual({
      status: 400,
      json: { code: 230071, msg: 'The group to which the message belongs does not support reply in thread.' },
    });
    expect(t.f.botMessages()).toHaveLength(0);
    const plain = await replyTo(t, root, text('yo'));
    expect(plain.json).toMatchObject({ code: 0, data: { parent_id: root, thread_id: '' } });
    expect(t.f.botMessages()).toHaveLength(1);
  });

  it('answers 230072 to a thread reply to an aggregated (merge_forward) message, in an ordinary chat', async () => {
    t = await startFeishuApi();
    const merged = userMessage(t, 'oc_1', {
      msgType: 'merge_forward',
      content: 'Merged and Forwarded Message',
    });
    const flagged = userMessage(t, 'oc_1', { aggregated: true });
    for (const id of [merged, flagged]) {
      expect(await replyTo(t, id, { ...text('yo'), reply_in_thread: true })).toEqual({
        status: 400,
        json: { code: 230072, msg: 'Aggregated messages do not support reply in thread.' },
      });
      expect((await replyTo(t, id, text('yo'))).json.code).toBe(0);
    }
    const ordinary = userMessage(t, 'oc_1');
    expect(
      (await replyTo(t, ordinary, { ...text('yo'), reply_in_thread: true })).json.data.thread_id,
    ).toMatch(/^omt_/);
  });
});

describe('fake Feishu: recall', () => {
  it('refuses replies to a recalled message (230011) and shows it as deleted in im.message.get', async () => {
    t = await startFeishuApi();
    const recalled: string[] = [];
    t.f.on('recall', (m) => recalled.push(m.messageId));
    const id = userMessage(t);
    t.f.recall(id);
    expect(recalled).toEqual([id]);
    expect(await replyTo(t, id, text('too late'))).toEqual({
      status: 400,
      json: { code: 230011, msg: 'The message is recalled.' },
    });
    const got = await t.call('GET', `/open-apis/im/v1/messages/${id}`);
    expect(got.status).toBe(200);
    expect(got.json.data.items[0]).toMatchObject({
      message_id: id,
      deleted: true,
      body: { content: 'This message was recalled' },
    });
    expect(t.f.botMessages()).toHaveLength(0);
  });

  it('refuses to patch a recalled card (230011)', async () => {
    t = await startFeishuApi();
    const root = userMessage(t);
    const card = JSON.stringify({ config: { update_multi: true }, elements: [] });
    const sent = await replyTo(t, root, { msg_type: 'interactive', content: card });
    const cardId = sent.json.data.message_id as string;
    t.f.recall(cardId);
    const p = await t.call('PATCH', `/open-apis/im/v1/messages/${cardId}`, { content: card });
    expect(p).toMatchObject({ status: 400, json: { code: 230011 } });
    expect(t.f.patches).toEqual([]);
  });
});

describe('fake Feishu: the bot removed from a chat', () => {
  it('refuses reply, create, patch and get there (230002), resources with 234004; other chats work', async () => {
    t = await startFeishuApi();
    const { messageId: imageMsg } = t.f.addImageMessage({
      chatId: 'oc_gone',
      senderOpenId: 'ou_u',
      bytes: Buffer.from('x'),
    });
    const root = userMessage(t, 'oc_gone');
    const card = JSON.stringify({ config: { update_multi: true }, elements: [] });
    const cardId = (await replyTo(t, root, { msg_type: 'interactive', content: card })).json.data.message_id;
    t.f.removeBot('oc_gone');
    const notIn = { status: 400, json: { code: 230002, msg: 'The bot can not be outside the group.' } };
    expect(await replyTo(t, root, text('x'))).toEqual(notIn);
    expect(
      await t.call('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', {
        receive_id: 'oc_gone',
        ...text('x'),
      }),
    ).toEqual(notIn);
    expect(await t.call('PATCH', `/open-apis/im/v1/messages/${cardId}`, { content: card })).toEqual(notIn);
    expect(await t.call('GET', `/open-apis/im/v1/messages/${root}`)).toEqual(notIn);
    const key = JSON.parse(t.f.getStoredMessage(imageMsg)!.content).image_key as string;
    expect(await t.call('GET', `/open-apis/im/v1/messages/${imageMsg}/resources/${key}?type=image`)).toEqual({
      status: 400,
      json: { code: 234004, msg: 'App not in chat.' },
    });
    expect(t.f.botMessages('oc_gone')).toHaveLength(1); // only the card sent before

    expect((await replyTo(t, userMessage(t, 'oc_other'), text('x'))).json.code).toBe(0);
    t.f.addBot('oc_gone');
    expect((await replyTo(t, root, text('back'))).json.code).toBe(0);
  });
});

describe('fake Feishu: im.chat.get', () => {
  it('answers the chat name (default 即梦测试群), less for a chat without the bot, 232006 for an unknown one', async () => {
    t = await startFeishuApi();
    userMessage(t, 'oc_sandbox_group');
    t.f.addChat({ chatId: 'oc_named', name: '视频组', ownerOpenId: 'ou_owner' });
    const sandbox = await t.call('GET', '/open-apis/im/v1/chats/oc_sandbox_group');
    expect(sandbox).toMatchObject({
      status: 200,
      json: {
        code: 0,
        data: { name: '即梦测试群', chat_mode: 'group', bot_count: '1', chat_status: 'normal' },
      },
    });
    expect((await t.call('GET', '/open-apis/im/v1/chats/oc_named')).json.data).toMatchObject({
      name: '视频组',
      owner_id: 'ou_owner',
      owner_id_type: 'open_id',
    });
    t.f.removeBot('oc_named');
    const outside = await t.call('GET', '/open-apis/im/v1/chats/oc_named');
    expect(outside.json).toMatchObject({ code: 0, data: { name: '视频组', bot_count: '0' } });
    expect(Object.keys(outside.json.data).sort()).toEqual([
      'avatar',
      'bot_count',
      'chat_status',
      'name',
      'user_count',
    ]);
    expect(await t.call('GET', '/open-apis/im/v1/chats/oc_nope')).toEqual({
      status: 400,
      json: { code: 232006, msg: 'Your request specifies a chat_id which is invalid.' },
    });
  });

  it('answers 99991672 when the app lacks every scope the route accepts', async () => {
    t = await startFeishuApi({ deniedScopes: ['im:chat', 'im:chat:read'] });
    userMessage(t, 'oc_1');
    expect((await t.call('GET', '/open-apis/im/v1/chats/oc_1')).json.code).toBe(0); // im:chat:readonly left
    t.f.deniedScopes.add('im:chat:readonly');
    expect(await t.call('GET', '/open-apis/im/v1/chats/oc_1')).toEqual({
      status: 400,
      json: {
        code: 99991672,
        msg: 'Access denied. One of the following scopes is required: [im:chat, im:chat:read, im:chat:readonly].',
      },
    });
    expect((await replyTo(t, userMessage(t, 'oc_1'), text('x'))).json.code).toBe(0);
  });
});
