/**
 * The sandbox's web chat page on the bot's own Koa app: the page and its assets, a server-sent event
 * stream of the group chat (snapshot, then new messages and card patches), posting text, images and
 * posts as one of the simulated users (with real mentions), clicks on card buttons and forms (sent to
 * the bot as signed card callbacks), the uploaded videos (with Range) and the simulator knobs.
 */
import Router from '@koa/router';
import { SAMPLE_CLIP } from '../jimeng-sim/video.js';
import { SANDBOX_CHAT, SANDBOX_USERS } from '../sandbox-users.js';
import { addCardActionRoutes } from './card-action-routes.js';
import { ChatEventStream } from './event-stream.js';
import { addKnobRoutes, type KnobState } from './knob-routes.js';
import { addMediaRoutes } from './media-routes.js';
import { addMessageRoutes } from './message-routes.js';
import { addPageAssets } from './page-assets.js';
import type { ChatPage, ChatPageSandbox } from './types.js';
import { knobsView, messageView } from './views.js';

export function createChatPage(sandbox: ChatPageSandbox): ChatPage {
  const { feishu, jimeng } = sandbox;
  const router = new Router();
  const knobState: KnobState = {
    generationMs: Math.round(sandbox.config.jimeng.expectedGenerationSeconds * 1000),
    knobs: () => knobsView(jimeng, knobState.generationMs),
    broadcast: (k) => stream.broadcast('knobs', k),
  };
  const view = (m: Parameters<typeof messageView>[0]) => messageView(m, feishu.botName);
  const stream = new ChatEventStream({
    feishu,
    chatId: SANDBOX_CHAT,
    view,
    knobs: knobState.knobs,
    snapshot: () => ({
      chatId: SANDBOX_CHAT,
      bot: { name: feishu.botName, openId: feishu.botOpenId },
      users: SANDBOX_USERS,
      messages: feishu.messages.filter((m) => m.chatId === SANDBOX_CHAT).map(view),
      knobs: knobState.knobs(),
      /** What the simulator serves for every video, whatever the options. */
      simulatorClip: SAMPLE_CLIP,
    }),
  });

  addPageAssets(router);
  stream.addRoute(router);
  addMessageRoutes(router, sandbox);
  addCardActionRoutes(router, sandbox);
  addMediaRoutes(router, feishu);
  addKnobRoutes(router, sandbox, knobState);
  return { router, close: () => stream.close() };
}

/** The routes of the sandbox chat page (see createChatPage). */
export function createChatRoutes(sandbox: ChatPageSandbox): Router {
  return createChatPage(sandbox).router;
}
