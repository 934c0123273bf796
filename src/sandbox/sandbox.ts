/**
 * What a running sandbox offers (startSandbox in ./start-sandbox.ts builds it). Kept apart from the
 * builder so the chat page can name it without importing the builder that imports the chat page.
 */
import type { App } from '../app.js';
import type { Config, JimengAccountConfig } from '../config.js';
import type { FakeFeishu } from './fake-feishu.js';
import type { JimengSimulator } from './jimeng-simulator.js';

export interface SandboxMessage {
  chatId?: string;
  chatType?: 'group' | 'p2p';
  senderOpenId: string;
  text?: string;
  /** Raw content for non-text messages. */
  msgType?: string;
  content?: object;
  mentions?: { key: string; openId: string; name: string }[];
  parentId?: string;
  /** The same message id again (a Feishu re-push). */
  messageId?: string;
}

/** A user clicks a button (or submits a form) on one of the bot's cards. */
export interface SandboxCardClick {
  messageId: string;
  operatorOpenId: string;
  /** The component's callback value (`behaviors[].value`, or a legacy `value`). */
  value?: Record<string, unknown>;
  /** A form submit: field name → value. */
  formValue?: Record<string, unknown>;
  /** The component's `name`. */
  name?: string;
  /** Default 'button'. */
  tag?: string;
  /** Give up after this long, as Feishu does after 3 s (default 3000; the call then rejects). */
  timeoutMs?: number;
}

export interface Sandbox {
  app: App;
  feishu: FakeFeishu;
  jimeng: JimengSimulator;
  config: Config;
  /** The accounts the bot was given, in order (`config.jimeng.accounts`, the simulator's view of each). */
  accounts: readonly JimengAccountConfig[];
  pageUrl: string;
  webhookUrl: string;
  /** A user posts a message: stored in the fake Feishu, then delivered to the bot as Feishu would. */
  send(msg: SandboxMessage): Promise<{ messageId: string; status: number }>;
  /** A user posts an image; returns the image message id (reply to it for image-to-video). */
  sendImage(input: {
    chatId?: string;
    senderOpenId: string;
    bytes: Uint8Array;
  }): Promise<{ messageId: string }>;
  /**
   * A click on a card, delivered to the bot as Feishu does: a `card.action.trigger` callback, encrypted
   * and signed, to the webhook. Returns the HTTP status and the bot's answer (`{toast?, card?}`).
   */
  clickCard(click: SandboxCardClick): Promise<{ status: number; body: unknown }>;
  /** Where the sandbox keeps its state (see SandboxOptions.stateDir), if anywhere. */
  stateDir?: string;
  close(): Promise<void>;
}
