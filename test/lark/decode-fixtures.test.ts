/**
 * The delivery decoder against the documented sample payloads in test/fixtures/lark/ (each file's
 * `_source` names the reference section it follows): the decoder is pinned to Feishu's shapes, not only
 * to the ones our own event builder makes.
 */
import { describe, expect, it } from 'vitest';
import { decodeDelivery } from '../../src/lark/decode-delivery.js';
import cardAction from '../fixtures/lark/card-action-trigger.json' with { type: 'json' };
import recalled from '../fixtures/lark/message-recalled.json' with { type: 'json' };
import post from '../fixtures/lark/message-receive-post-two-images.json' with { type: 'json' };
import text from '../fixtures/lark/message-receive-text.json' with { type: 'json' };

const decode = (fixture: { body: object }) => decodeDelivery(fixture.body as Record<string, unknown>);

describe('decodeDelivery on the documented samples (test/fixtures/lark)', () => {
  it('im.message.receive_v1, text: the official sample with its mention, reply and thread ids', () => {
    expect(decode(text)).toEqual({
      type: 'message',
      message: {
        messageId: 'om_5ce6d572455d361153b7cb51da133945',
        chatId: 'oc_5ce6d572455d361153b7xx51da133945',
        chatType: 'group',
        senderOpenId: 'ou_84aad35d084aa403a838cf73ee18467',
        messageType: 'text',
        text: '@_user_1 hello',
        mentions: [{ key: '@_user_1', openId: 'ou_84aad35d084aa403a838cf73ee18467', name: 'Tom' }],
        imageKeys: [],
        // The message's own create_time (ms), not the header's.
        createTime: 1609073151345,
        eventId: '5e3702a84e847582be8db7fb73283c02',
        threadId: 'omt_d4be107c616aed9c',
        rootId: 'om_5ce6d572455d361153b7cb5xxfsdfsdfdsf',
        parentId: 'om_5ce6d572455d361153b7cb5xxfsdfsdfdsf',
      },
    });
  });

  it('im.message.receive_v1, post: the mention and command as text, both images in order', () => {
    const d = decode(post);
    expect(d.type).toBe('message');
    if (d.type !== 'message') return;
    expect(d.message).toMatchObject({
      messageId: 'om_a1b2c3d4e5f60718293a4b5c6d7e8f90',
      messageType: 'post',
      text: '@_user_1 /video 从清晨到黄昏',
      imageKeys: [
        'img_v3_02ab_dawn0000-0000-0000-0000-000000000001',
        'img_v3_02ab_dusk0000-0000-0000-0000-000000000002',
      ],
      mentions: [{ key: '@_user_1', openId: 'ou_b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0', name: '即梦视频助手' }],
    });
    expect(d.message.parentId).toBeUndefined();
  });

  it('the same post wrapped in a locale key (zh_cn) decodes the same', () => {
    const body = structuredClone(post.body);
    body.event.message.content = JSON.stringify({ zh_cn: JSON.parse(post.body.event.message.content) });
    const d = decode({ body });
    expect(d.type === 'message' && [d.message.text, d.message.imageKeys.length]).toEqual([
      '@_user_1 /video 从清晨到黄昏',
      2,
    ]);
  });

  it('card.action.trigger: operator, value, form_value, the card message and chat; µs create_time in ms', () => {
    expect(decode(cardAction)).toEqual({
      type: 'cardAction',
      action: {
        eventId: 'f7984f25108f8137722bb63cee927e66',
        operatorOpenId: 'ou_3c42a8dc5a8d6cd3f10f4e4cae4ae2cb',
        value: { action: 'edit', job: 'J0007' },
        formValue: { prompt: '橘猫打哈欠，镜头慢慢推近' },
        tag: 'button',
        name: 'edit_submit',
        messageId: 'om_3ab4c1d2e3f40516273849a0b1c2d3e4',
        chatId: 'oc_5ce6d572455d361153b7xx51da133945',
        createTime: 1603977298000,
      },
    });
  });

  it('im.message.recalled_v1: the recalled message and its chat', () => {
    expect(decode(recalled)).toEqual({
      type: 'recalled',
      messageId: 'om_5ce6d572455d361153b7cb51da133945',
      chatId: 'oc_5ce6d572455d361153b7xx51da133945',
    });
  });

  it("a bot's own message in the same envelope is not a user message", () => {
    const body = structuredClone(text.body);
    body.event.sender.sender_type = 'app';
    expect(decode({ body })).toEqual({
      type: 'other',
      eventType: 'im.message.receive_v1',
      reason: 'not_a_user_message',
    });
  });
});
