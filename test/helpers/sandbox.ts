import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/start-sandbox.js';
import { FileStore } from '../../src/store/file/file-store.js';
import type { Job } from '../../src/store/records.js';

export const ALICE = 'ou_alice000000000000000000000000001';
export const BOB = 'ou_bob00000000000000000000000000002';
export const ADMIN = 'ou_admin0000000000000000000000000003';

/**
 * The real app wired to the fake Feishu and the Jimeng simulator over loopback, with fast timings. One Jimeng
 * account unless `opts.accounts` says otherwise (JIMENG_MAX_CONCURRENT is then the bot's whole concurrency).
 */
export async function testSandbox(
  env: Record<string, string> = {},
  opts: Partial<Omit<SandboxOptions, 'config'>> = {},
): Promise<Sandbox> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'jimeng-bot-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    BOT_ADMINS: ADMIN,
    QUOTA_USER_DAILY: '20',
    JIMENG_QPS: '20',
    ...env,
  });
  const sb = await startSandbox({
    config,
    port: 0,
    generationMs: 300,
    minPollMs: 50,
    jimengRetryBaseMs: 10,
    busyRetryMs: 100,
    deliveryRetryMs: 50,
    larkRetryBaseMs: 20,
    accounts: 1,
    ...opts,
  });
  const close = sb.close;
  let closed = false;
  sb.close = async () => {
    if (closed) return;
    closed = true;
    await expectDurable(sb);
    await close();
  };
  return sb;
}

/**
 * Every test that uses the sandbox also checks the store: once the bot is quiet, what a restart would read
 * from disk (snapshot + journal) must equal what the bot holds in memory, so no change escaped the journal.
 */
async function expectDurable(sb: Sandbox): Promise<void> {
  await sb.app.bot.stop();
  await sb.app.runner.stop();
  const onDisk = await FileStore.inspect({ dir: sb.config.dataDir });
  expect(onDisk, 'the state on disk (state.json + state.journal) matches memory').toEqual(dumpOf(sb));
}

/** Everything the sandbox's file store holds (the sandbox runs on the file store). */
export function dumpOf(sb: { app: Sandbox['app'] }): ReturnType<FileStore['dump']> {
  const store = sb.app.store;
  if (!(store instanceof FileStore)) throw new Error('the sandbox is not on the file store');
  return store.dump();
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(
  check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function contentOf(m: { content: string }): Record<string, unknown> {
  return JSON.parse(m.content) as Record<string, unknown>;
}

/**
 * A deterministic point where nothing else is going to happen: every message handled, and every job loop
 * (submits, polls, deliveries, cards) has looked for work until a round started nothing. Use it instead
 * of sleeping to prove that something did not happen.
 */
export async function quiesce(sb: { app: Sandbox['app'] }): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await sb.app.bot.idle();
    await sb.app.runner.settle();
  }
}

/** Every job the bot holds, oldest first. */
export function jobsOf(sb: { app: Sandbox['app'] }): Job[] {
  return dumpOf(sb).jobs;
}
