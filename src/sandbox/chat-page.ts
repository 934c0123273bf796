/** The sandbox's web chat page (routes on the bot's Koa app). The parts live in ./chat-page/. */
export { createChatPage, createChatRoutes } from './chat-page/create-chat-page.js';
export type { ChatMessageView, ChatPage, ChatPageSandbox, KnobsView } from './chat-page/types.js';
