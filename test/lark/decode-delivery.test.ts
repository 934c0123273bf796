import { describe, expect, it } from 'vitest';
import { decodeDelivery } from '../../src/lark/decode-delivery.js';
import type { LarkEvent } from '../../src/lark/types.js';
import { buildMessageEvent } from '../../src/sandbox/lark-event-builder.js';

const base = { appId: 'cli_a1b2c3d4e5f60718', token: 'vt', chatId: 'oc_1', senderOpenId: 'ou_user' };

/** The message a delivery carries, or null when it is something else (as the old normalizer answered). */
function normalizeMessage(evt: LarkEvent) {
  const d = decodeDelivery(evt as unknown as Record<string, unknown>);
  return d.type === 'message' ? d.message : null;
}

describe('decodeDelivery: messages', () => {
  it('normalizes a group text message with a mention, reply and thread ids', () => {
    const evt = buildMessageEvent({
      ...base,
      messageId: 'om_1',
      eventId: 'ev_1',
      chatType: 'group',
      msgType: 'text',
      content: { text: '@_user_1 /video 一只猫 --10s' },
      mentions: [{ key: '@_user_1', openId: 'ou_bot', name: '即梦' }],
      parentId: 'om_parent',
      rootId: 'om_root',
      threadId: 'omt_1',
      createTime: 1_700_000_000_123,
    });
    expect(normalizeMessage(evt)).toEqual({
      messageId: 'om_1',
      chatId: 'oc_1',
      chatType: 'group',
      threadId: 'omt_1',
      rootId: 'om_root',
      parentId: 'om_parent',
      senderOpenId: 'ou_user',
      messageType: 'text',
      text: '@_user_1 /video 一只猫 --10s',
      mentions: [{ key: '@_user_1', openId: 'ou_bot', name: '即梦' }],
      imageKeys: [],
      createTime: 1_700_000_000_123,
      eventId: 'ev_1',
    });
  });

  it('reads the key of an image message', () => {
    const evt = buildMessageEvent({
      ...base,
      chatType: 'p2p',
      msgType: 'image',
      content: { image_key: 'img_1' },
    });
    const msg = normalizeMessage(evt);
    expect(msg?.imageKeys).toEqual(['img_1']);
    expect(msg?.text).toBe('');
    expect(msg?.chatType).toBe('p2p');
    expect(msg?.parentId).toBeUndefined();
  });

  const postBody = {
    title: '标题',
    content: [
      [
        { tag: 'at', user_id: '@_user_1', user_name: '即梦' },
        { tag: 'text', text: ' /video 让这张图动起来 ' },
        { tag: 'a', text: '链接', href: 'https://example.com' },
      ],
      [{ tag: 'img', image_key: 'img_a', width: 100, height: 100 }],
      [
        { tag: 'text', text: '第二段' },
        { tag: 'img', image_key: 'img_b' },
      ],
    ],
  };

  it('collects text and image keys of a post', () => {
    const msg = normalizeMessage(
      buildMessageEvent({ ...base, chatType: 'group', msgType: 'post', content: postBody }),
    );
    expect(msg?.text).toBe('@_user_1 /video 让这张图动起来 链接\n第二段');
    expect(msg?.imageKeys).toEqual(['img_a', 'img_b']);
  });

  it('unwraps a post wrapped in a locale key', () => {
    const msg = normalizeMessage(
      buildMessageEvent({ ...base, chatType: 'group', msgType: 'post', content: { zh_cn: postBody } }),
    );
    expect(msg?.text).toBe('@_user_1 /video 让这张图动起来 链接\n第二段');
    expect(msg?.imageKeys).toEqual(['img_a', 'img_b']);
  });

  it('ignores bots and other events', () => {
    const fromBot = buildMessageEvent({
      ...base,
      chatType: 'group',
      msgType: 'text',
      content: { text: 'x' },
      senderType: 'app',
    });
    expect(normalizeMessage(fromBot)).toBeNull();
    const other: LarkEvent = {
      schema: '2.0',
      header: { ...fromBot.header, event_type: 'im.chat.member.bot.added_v1' },
      event: { chat_id: 'oc_1' },
    };
    expect(normalizeMessage(other)).toBeNull();
    expect(decodeDelivery(other as unknown as Record<string, unknown>)).toEqual({
      type: 'other',
      eventType: 'im.chat.member.bot.added_v1',
      reason: 'unhandled_event_type',
    });
    expect(decodeDelivery(fromBot as unknown as Record<string, unknown>)).toMatchObject({
      reason: 'not_a_user_message',
    });
  });

  it('survives unparsable content', () => {
    const evt = buildMessageEvent({ ...base, chatType: 'group', msgType: 'text', content: {} });
    evt.event.message.content = '{not json';
    expect(normalizeMessage(evt)?.text).toBe('');
  });
});
