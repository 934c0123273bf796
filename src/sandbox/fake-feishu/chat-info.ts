/**
 * im.chat.get (`GET /open-apis/im/v1/chats/:chat_id`), after the official page
 * (https://open.feishu.cn/document/server-docs/group/chat/get-2): an unknown chat_id answers 400 232006
 * "Your request specifies a chat_id which is invalid."; a caller outside the group gets only the name,
 * avatar, member counts and status ("调用接口的机器人或者用户需要在群组内，才可以获取完整信息，否则只返回群名称、
 * 群头像、成员数量以及群状态信息"); the error table's 232011 "Operator can NOT be out of the chat." is not
 * answered because the page says the partial answer is what a non-member gets.
 */
import type { StoredChat } from './chats.js';
import { FeishuApiError } from './feishu-api-error.js';

const AVATAR = 'https://p3-lark-file.byteimg.com/img/lark-avatar-staging/default-avatar~100x100.jpg';

export function chatInfo(chat: StoredChat | undefined, tenantKey: string): Record<string, unknown> {
  if (!chat) throw new FeishuApiError(400, 232006, 'Your request specifies a chat_id which is invalid.');
  const basic = {
    avatar: AVATAR,
    name: chat.name,
    user_count: String(chat.userCount),
    bot_count: chat.botInChat ? '1' : '0',
    chat_status: 'normal',
  };
  if (!chat.botInChat) return basic;
  const group = chat.chatMode === 'group';
  return {
    ...basic,
    description: chat.description,
    i18n_names: { zh_cn: chat.name, en_us: '', ja_jp: '' },
    ...(group
      ? {
          add_member_permission: 'all_members',
          share_card_permission: 'allowed',
          at_all_permission: 'all_members',
          chat_type: 'private',
          chat_tag: 'inner',
          group_message_type: 'chat',
          join_message_visibility: 'all_members',
          leave_message_visibility: 'all_members',
          membership_approval: 'no_approval_required',
        }
      : {}),
    ...(group && chat.ownerOpenId ? { owner_id_type: 'open_id', owner_id: chat.ownerOpenId } : {}),
    edit_permission: 'all_members',
    user_manager_id_list: [],
    bot_manager_id_list: [],
    chat_mode: chat.chatMode,
    moderation_permission: 'all_members',
    external: false,
    tenant_key: tenantKey,
    restricted_mode_setting: {
      status: false,
      screenshot_has_permission_setting: 'all_members',
      download_has_permission_setting: 'all_members',
      message_has_permission_setting: 'all_members',
    },
    urgent_setting: 'all_members',
    video_conference_setting: 'all_members',
    hide_member_count_setting: 'all_members',
  };
}
