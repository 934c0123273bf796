/**
 * Chats the fake knows. A chat is created on first sight (a user message, a create to a chat_id) as an
 * ordinary group that accepts thread replies and has the bot in it; `addChat` makes other kinds.
 */

export interface StoredChat {
  chatId: string;
  /** 群名称 (im.chat.get `name`). */
  name: string;
  /** `group` (群组) or `p2p` (单聊): im.chat.get `chat_mode`. */
  chatMode: 'group' | 'p2p';
  /** `refused`: the chat does not support replies in a thread (im.message.reply answers 230071). */
  threads: 'allowed' | 'refused';
  /** False once the bot was removed (sends answer 230002, resources 234004). */
  botInChat: boolean;
  description: string;
  ownerOpenId?: string;
  userCount: number;
}

export interface AddChatInput {
  chatId: string;
  name?: string;
  chatMode?: 'group' | 'p2p';
  threads?: 'allowed' | 'refused';
  botInChat?: boolean;
  description?: string;
  ownerOpenId?: string;
  userCount?: number;
}

export const DEFAULT_CHAT_NAME = '即梦测试群';

export class ChatRegistry {
  readonly chats = new Map<string, StoredChat>();

  constructor(private readonly defaultName: string = DEFAULT_CHAT_NAME) {}

  /** Creates or replaces a chat; unspecified fields get the defaults (or keep the existing chat's). */
  add(input: AddChatInput): StoredChat {
    const old = this.chats.get(input.chatId);
    const chat: StoredChat = {
      chatId: input.chatId,
      name: input.name ?? old?.name ?? this.defaultName,
      chatMode: input.chatMode ?? old?.chatMode ?? 'group',
      threads: input.threads ?? old?.threads ?? 'allowed',
      botInChat: input.botInChat ?? old?.botInChat ?? true,
      description: input.description ?? old?.description ?? '',
      userCount: input.userCount ?? old?.userCount ?? 3,
    };
    const owner = input.ownerOpenId ?? old?.ownerOpenId;
    if (owner) chat.ownerOpenId = owner;
    this.chats.set(chat.chatId, chat);
    return chat;
  }

  /** The chat, created with the defaults if it is new. */
  ensure(chatId: string, chatType?: string): StoredChat {
    return this.chats.get(chatId) ?? this.add({ chatId, chatMode: chatType === 'p2p' ? 'p2p' : 'group' });
  }

  get(chatId: string): StoredChat | undefined {
    return this.chats.get(chatId);
  }

  clear(): void {
    this.chats.clear();
  }
}
