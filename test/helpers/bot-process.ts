import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeFeishu, startFakeFeishu } from '../../src/sandbox/fake-feishu.js';
import {
  type JimengSimulator,
  type JimengSimulatorOptions,
  startJimengSimulator,
} from '../../src/sandbox/jimeng-simulator.js';
import { buildMessageEvent, postEvent } from '../../src/sandbox/lark-event-builder.js';

const hex = (n: number) => randomBytes(n).toString('hex');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The bot as its own OS process (`node --import tsx src/main.ts`, production mode). */
export interface BotProcess {
  proc: ChildProcess;
  /** http://127.0.0.1:PORT/webhook/event */
  webhookUrl: string;
  /** Everything the process wrote (pino JSON lines and stderr), for failure messages. */
  output: string[];
  /** SIGKILL: no shutdown hook runs. */
  kill(): Promise<void>;
  /** SIGTERM: the bot finishes what it started and exits; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** A fake Feishu and a Jimeng simulator in this process, and a bot process (re)started against them. */
export interface BotWorld {
  feishu: FakeFeishu;
  jimeng: JimengSimulator;
  dataDir: string;
  env: Record<string, string>;
  encryptKey: string;
  /** Starts the bot on a free port with the world's DATA_DIR (the same one every time) and env. */
  spawn(): Promise<BotProcess>;
  /** A user posts `text` in a group: stored in the fake Feishu; returns the message id (not delivered yet). */
  userMessage(text: string, senderOpenId?: string): string;
  /** Delivers (or re-pushes) a stored user message to the bot as Feishu does; the HTTP status or 0 if none. */
  deliver(bot: BotProcess, messageId: string): Promise<number>;
  close(): Promise<void>;
}

export async function startBotWorld(opts: {
  generationMs?: number;
  simulator?: Partial<JimengSimulatorOptions>;
  /** Overrides for config/default.json, written to a CONFIG_FILE. */
  config?: object;
  /** More environment for every bot process (e.g. DATABASE_URL). */
  env?: Record<string, string>;
}): Promise<BotWorld> {
  const appId = `cli_proc${hex(6)}`;
  const appSecret = hex(16);
  const encryptKey = hex(16);
  const verificationToken = hex(16);
  const accessKeyId = `AKPROC${hex(4)}`;
  const secretAccessKey = hex(20);
  const feishu = await startFakeFeishu({ appId, appSecret });
  const jimeng = await startJimengSimulator({
    accessKeyId,
    secretAccessKey,
    generationMs: opts.generationMs ?? 500,
    ...opts.simulator,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'bot-proc-'));
  const configFile = join(dataDir, '..', `${dataDir.split('/').pop()}-config.json`);
  writeFileSync(configFile, JSON.stringify(opts.config ?? {}));
  const env: Record<string, string> = {
    LARK_APP_ID: appId,
    LARK_APP_SECRET: appSecret,
    LARK_ENCRYPT_KEY: encryptKey,
    LARK_VERIFICATION_TOKEN: verificationToken,
    LARK_DOMAIN: feishu.url,
    VOLC_ACCESSKEY: accessKeyId,
    VOLC_SECRETKEY: secretAccessKey,
    JIMENG_ENDPOINT: jimeng.url,
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
    CONFIG_FILE: configFile,
    ...opts.env,
  };
  const procs = new Set<BotProcess>();
  const world: BotWorld = {
    feishu,
    jimeng,
    dataDir,
    env,
    encryptKey,
    spawn: async () => {
      const bot = await spawnBot(env);
      procs.add(bot);
      bot.proc.once('exit', () => procs.delete(bot));
      return bot;
    },
    userMessage: (text, senderOpenId = 'ou_proc00000000000000000000000001') =>
      feishu.addUserMessage({
        chatId: 'oc_proc_group',
        chatType: 'group',
        senderOpenId,
        msgType: 'text',
        content: { text },
      }),
    deliver: async (bot, messageId) => {
      const m = feishu.getStoredMessage(messageId);
      if (!m) throw new Error(`no stored message ${messageId}`);
      const event = buildMessageEvent({
        appId,
        token: verificationToken,
        messageId,
        chatId: m.chatId,
        chatType: m.chatType,
        senderOpenId: m.senderId,
        msgType: m.msgType,
        content: JSON.parse(m.content) as object,
      });
      try {
        return (await postEvent(bot.webhookUrl, event, { encryptKey, signal: AbortSignal.timeout(5000) }))
          .status;
      } catch {
        return 0; // connection refused or reset: the process is gone (Feishu will re-push)
      }
    },
    close: async () => {
      await Promise.all([...procs].map((p) => p.kill()));
      await Promise.all([feishu.close(), jimeng.close()]);
    },
  };
  return world;
}

async function spawnBot(env: Record<string, string>): Promise<BotProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const bot: BotProcess = {
    proc,
    webhookUrl: '',
    output,
    kill: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
      proc.kill('SIGTERM');
      return exited;
    },
  };
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${output.join('')}`)), 20_000);
    proc.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    proc.stdout?.on('data', (d: Buffer) => {
      const text = d.toString();
      output.push(text);
      buf += text;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (bot.webhookUrl || !line.includes('bot listening')) continue;
        try {
          const url = (JSON.parse(line) as { url?: string }).url;
          if (url) {
            bot.webhookUrl = `${url.replace('0.0.0.0', '127.0.0.1')}/webhook/event`;
            clearTimeout(timer);
            resolve();
          }
        } catch {}
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!bot.webhookUrl)
        reject(new Error(`bot exited (${code ?? signal}) before listening:\n${output.join('')}`));
    });
  });
  return bot;
}

/** The bot's answers to one message in Feishu: non-card replies (the video, a text) and failed cards. */
export function finalAnswers(w: BotWorld, messageId: string) {
  const thread = w.feishu.messages.filter(
    (m) => m.senderType === 'app' && (m.parentId === messageId || m.rootId === messageId),
  );
  const nonCards = thread.filter((m) => m.msgType !== 'interactive');
  const failedCards = thread.filter(
    (m) => m.msgType === 'interactive' && m.updated && m.content.includes('"template":"red"'),
  );
  return { nonCards, failedCards, count: nonCards.length + failedCards.length };
}

/** Jimeng tasks created for a prompt (more than one = submitted twice). */
export const tasksFor = (w: BotWorld, prompt: string) =>
  [...w.jimeng.tasks.values()].filter((t) => t.prompt === prompt).length;
