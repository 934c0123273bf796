import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Router from '@koa/router';
import { createApp } from '../app.js';
import type { Config, JimengAccountConfig } from '../config.js';
import { MODEL_DEFINITIONS } from '../jimeng/model-definitions.js';
import { type Logger, silentLogger } from '../log.js';
import { type ChatPage, createChatPage } from './chat-page.js';
import { startFakeFeishu } from './fake-feishu.js';
import { type JimengSimulatorOptions, type SimAccount, startJimengSimulator } from './jimeng-simulator.js';
import { buildCardActionEvent, buildMessageEvent, postEvent } from './lark-event-builder.js';
import type { Sandbox } from './sandbox.js';
import { loadIdentity, newIdentity, saveIdentity } from './sandbox-identity.js';
import { SANDBOX_ADMIN_IDS, SANDBOX_CHAT } from './sandbox-users.js';

/** One Jimeng account the sandbox invents: a key pair the simulator knows, and the bot's settings for it. */
export interface SandboxAccount {
  /** Default sandbox-1, sandbox-2, … */
  name?: string;
  /** The bot's limits for it (default: config.jimeng.maxConcurrent / qps). */
  maxConcurrent?: number;
  qps?: number;
  /** req_keys or tiers the bot may send it (default: all). */
  models?: string[];
  /** The simulator's own limits for this account (default: the top-level ones), and models it has not enabled. */
  sim?: Omit<SimAccount, 'accessKeyId' | 'secretAccessKey'>;
  /** The bot is given a key the simulator does not know (`key`, answered InvalidAccessKey) or a wrong secret. */
  broken?: 'key' | 'secret';
}

export interface SandboxOptions {
  config: Config;
  /**
   * The Jimeng accounts: how many (each with the config's limits), or each one. Default: two accounts of
   * one task at once each, so two videos generate side by side.
   */
  accounts?: number | SandboxAccount[];
  logger?: Logger;
  /** How long the simulator takes per video (default 8 s: long enough to watch the card change). */
  generationMs?: number;
  simulator?: Partial<JimengSimulatorOptions>;
  /** Port for the bot (default config.port; 0 = a free one). */
  port?: number;
  host?: string;
  /** Extra routes on the bot's own Koa app (the chat page). */
  routes?: (sandbox: Omit<Sandbox, 'app' | 'pageUrl'>) => Router;
  /** Serve the web chat page (src/sandbox/chat-page.ts) at `/` (default false; `npm start` turns it on). */
  chatPage?: boolean;
  /**
   * Keep everything in this folder and find it again at the next start: the bot's store (it becomes
   * `config.dataDir`), the fake Feishu's chat history (`feishu/`) and the sandbox's app ids and simulator
   * keys (`sandbox.json`). `npm start` passes sandboxStateDir(config). Default: none, the store stays in
   * `config.dataDir`, the chat in memory and the ids are new each time (tests).
   */
  stateDir?: string;
  /** Shorter timings for tests. */
  minPollMs?: number;
  jimengRetryBaseMs?: number;
  busyRetryMs?: number;
  deliveryRetryMs?: number;
  larkRetryBaseMs?: number;
}

export type { Sandbox, SandboxCardClick, SandboxMessage } from './sandbox.js';
export { SANDBOX_CHAT };

const hex = (n: number) => randomBytes(n).toString('hex');

/**
 * Where `npm start` keeps the sandbox: `<DATA_DIR>/sandbox` (`./data/sandbox` by default). Never the
 * data folder itself, so sandbox jobs, spending and quota never count toward a real bot started from
 * the same DATA_DIR (which reads `<DATA_DIR>/state.json`).
 */
export function sandboxStateDir(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'sandbox');
}

/**
 * The whole bot on one machine with no credentials: the real app (receiver, bot, job runner,
 * store) talking HTTP to an in-process fake Feishu Open API and the Jimeng simulator. Events are
 * encrypted and signed with a fresh key exactly as Feishu does, so the production path runs.
 */
export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const log = opts.logger ?? silentLogger;
  const { stateDir } = opts;
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  const specs: SandboxAccount[] =
    typeof opts.accounts === 'number'
      ? Array.from({ length: Math.max(1, opts.accounts) }, () => ({}))
      : (opts.accounts ?? [{ maxConcurrent: 1 }, { maxConcurrent: 1 }]);
  // With a state folder the keys are kept (one pair per account), so a restart finds the same accounts.
  const identity = stateDir ? loadIdentity(stateDir, specs.length) : newIdentity(specs.length);
  const { appId, appSecret, encryptKey, verificationToken } = identity;
  // What the simulator knows, and what the bot is told (a broken account gets a key or secret it does not know).
  const simAccounts = specs.map((spec, i) => ({ ...identity.jimengKeys[i]!, ...(spec.sim ?? {}) }));
  const accounts: JimengAccountConfig[] = specs.map((spec, i) => ({
    name: spec.name ?? `sandbox-${i + 1}`,
    accessKeyId: spec.broken === 'key' ? `AKUNKNOWN${hex(4)}` : simAccounts[i]!.accessKeyId,
    secretAccessKey: spec.broken === 'secret' ? hex(20) : simAccounts[i]!.secretAccessKey,
    qps: spec.qps ?? opts.config.jimeng.qps,
    maxConcurrent: spec.maxConcurrent ?? opts.config.jimeng.maxConcurrent,
    ...(spec.models ? { models: expandModels(spec.models) } : {}),
  }));
  const generationMs = opts.generationMs ?? 8000;
  const feishu = await startFakeFeishu({
    appId,
    appSecret,
    botName: '即梦视频助手',
    botOpenId: identity.botOpenId,
    logger: log.child({ component: 'feishu-sim' }),
    ...(stateDir ? { persistDir: join(stateDir, 'feishu') } : {}),
  });
  const startSim = (port: number | undefined) =>
    startJimengSimulator({
      // The first account is the simulator's main one: top-level limits and setLimits() without a key apply to it.
      accessKeyId: simAccounts[0]!.accessKeyId,
      secretAccessKey: simAccounts[0]!.secretAccessKey,
      accounts: simAccounts,
      generationMs,
      logger: log.child({ component: 'jimeng-sim' }),
      ...(port ? { port } : {}),
      ...opts.simulator,
    });
  // With a state folder the simulator tries its last port again, so an exported JIMENG_ENDPOINT still works.
  const lastPort = opts.simulator?.port === undefined && stateDir ? identity.simulatorPort : 0;
  const jimeng = await startSim(lastPort).catch((e: unknown) => {
    if (!lastPort) throw e;
    return startSim(0);
  });
  if (stateDir && jimeng.port !== identity.simulatorPort)
    saveIdentity(stateDir, { ...identity, simulatorPort: jimeng.port });
  const config: Config = {
    ...opts.config,
    ...(stateDir ? { dataDir: stateDir } : {}),
    sandbox: true,
    // The chat page's simulated admin can try the admin commands.
    admins: [...new Set([...opts.config.admins, ...SANDBOX_ADMIN_IDS])],
    lark: {
      ...opts.config.lark,
      appId,
      appSecret,
      encryptKey,
      verificationToken,
      domain: feishu.url,
      transport: 'webhook',
    },
    jimeng: {
      ...opts.config.jimeng,
      accessKeyId: accounts.map((a) => a.accessKeyId).join(','),
      secretAccessKey: accounts.map((a) => a.secretAccessKey).join(','),
      accounts,
      endpoint: jimeng.url,
      expectedGenerationSeconds: generationMs / 1000,
    },
  };

  let webhookUrl = '';
  const send: Sandbox['send'] = async (m) => {
    const chatId = m.chatId ?? SANDBOX_CHAT;
    const chatType = m.chatType ?? 'group';
    const msgType = m.msgType ?? 'text';
    const content = m.content ?? { text: m.text ?? '' };
    const messageId =
      m.messageId ??
      feishu.addUserMessage({
        chatId,
        chatType,
        senderOpenId: m.senderOpenId,
        msgType,
        content,
        ...(m.parentId ? { parentId: m.parentId } : {}),
        ...(m.mentions ? { mentions: m.mentions } : {}),
      });
    const stored = feishu.getStoredMessage(messageId);
    const event = buildMessageEvent({
      appId,
      token: verificationToken,
      messageId,
      chatId,
      chatType,
      senderOpenId: m.senderOpenId,
      msgType,
      content,
      ...(m.mentions ? { mentions: m.mentions } : {}),
      ...(m.parentId ? { parentId: m.parentId } : {}),
      ...(stored?.rootId ? { rootId: stored.rootId } : {}),
      ...(stored?.threadId ? { threadId: stored.threadId } : {}),
    });
    const res = await postEvent(webhookUrl, event, { encryptKey });
    return { messageId, status: res.status };
  };
  const sendImage: Sandbox['sendImage'] = async (input) => {
    const { messageId } = feishu.addImageMessage({
      chatId: input.chatId ?? SANDBOX_CHAT,
      senderOpenId: input.senderOpenId,
      bytes: input.bytes,
    });
    return { messageId };
  };
  const clickCard: Sandbox['clickCard'] = async (c) => {
    const stored = feishu.getStoredMessage(c.messageId);
    const event = buildCardActionEvent({
      appId,
      token: verificationToken,
      messageId: c.messageId,
      chatId: stored?.chatId ?? SANDBOX_CHAT,
      operatorOpenId: c.operatorOpenId,
      tag: c.tag ?? 'button',
      value: c.value ?? {},
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.formValue !== undefined ? { formValue: c.formValue } : {}),
    });
    return postEvent(webhookUrl, event, { encryptKey, signal: AbortSignal.timeout(c.timeoutMs ?? 3000) });
  };
  let chatPage: ChatPage | undefined;
  const close = async () => {
    chatPage?.close();
    await app.close();
    await Promise.all([feishu.close(), jimeng.close()]);
  };
  const partial = {
    feishu,
    jimeng,
    config,
    accounts,
    webhookUrl: '',
    send,
    sendImage,
    clickCard,
    close,
    ...(stateDir ? { stateDir } : {}),
  };

  if (opts.chatPage && !opts.routes) chatPage = createChatPage(partial);
  const extraRoutes = opts.routes ? opts.routes(partial) : chatPage?.router;
  const app = await createApp({
    config,
    logger: log,
    ...(extraRoutes ? { extraRoutes } : {}),
    ...(opts.minPollMs !== undefined ? { minPollMs: opts.minPollMs } : {}),
    ...(opts.jimengRetryBaseMs !== undefined ? { jimengRetryBaseMs: opts.jimengRetryBaseMs } : {}),
    ...(opts.busyRetryMs !== undefined ? { busyRetryMs: opts.busyRetryMs } : {}),
    ...(opts.deliveryRetryMs !== undefined ? { deliveryRetryMs: opts.deliveryRetryMs } : {}),
    ...(opts.larkRetryBaseMs !== undefined ? { larkRetryBaseMs: opts.larkRetryBaseMs } : {}),
  });
  const url = await app.listen(opts.port ?? config.port, opts.host ?? '127.0.0.1');
  webhookUrl = `${url}/webhook/event`;
  partial.webhookUrl = webhookUrl;
  return { ...partial, app, pageUrl: `${url}/`, webhookUrl };
}

/** Tiers to their req_keys (the config does this for `jimeng.accounts`). */
function expandModels(models: string[]): string[] {
  return models.flatMap((m) => {
    const keys = MODEL_DEFINITIONS.filter((d) => d.tier === m).map((d) => d.reqKey);
    return keys.length ? keys : [m];
  });
}
