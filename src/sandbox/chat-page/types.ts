import type Router from '@koa/router';
import type { Sandbox } from '../sandbox.js';

/** What the chat page needs from the sandbox (everything but the app, which is built after the routes). */
export type ChatPageSandbox = Omit<Sandbox, 'app' | 'pageUrl'>;

export interface ChatPage {
  router: Router;
  /** Ends every open event stream (they would otherwise keep the HTTP server from closing). */
  close(): void;
}

/** A chat message as the page renders it: the current content (after patches), parsed. */
export interface ChatMessageView {
  id: string;
  msgType: string;
  content: unknown;
  sender: { type: 'app' | 'user'; id: string; name: string };
  parentId?: string;
  rootId?: string;
  threadId?: string;
  mentions?: { key: string; name: string }[];
  createTime: number;
  updateTime: number;
}

export interface KnobsView {
  generationMs: number;
  /** One-shot simulator faults not yet consumed. */
  pendingFaults: string[];
  failNextTasks: number;
}
