import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SANDBOX_USERS } from '../../src/sandbox/sandbox-users.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start-sandbox.js';
import { png } from '../helpers/png.js';

/**
 * The sandbox chat page in a real browser: Debian's Chromium (`apt-get install chromium`; .ci/run installs
 * it) driven by playwright-core, against the whole bot started in-process with the chat page.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TITLES = { queued: '🎬 已排队', generating: '⏳ 生成中', done: '✅ 视频已生成' };
const WANG = SANDBOX_USERS[0]!;
const ADMIN = SANDBOX_USERS.find((u) => u.admin)!;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let sandbox: Sandbox;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the sandbox end-to-end test needs it. ` +
        'Install it with `apt-get install chromium` (or set CHROMIUM_PATH).',
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'jimeng-e2e-')), QUOTA_USER_DAILY: '20' });
  sandbox = await startSandbox({
    config,
    port: 0,
    generationMs: 1500, // long enough for the page to show the intermediate card states
    minPollMs: 50,
    jimengRetryBaseMs: 10,
    chatPage: true,
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  pageErrors.length = 0;
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(sandbox.pageUrl);
  await page.waitForSelector('body[data-ready="1"]');
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    mkdirSync('test-results', { recursive: true });
    const name = ctx.task.name.replace(/[^\w\u4e00-\u9fff-]+/g, '_').slice(0, 80);
    await page
      .screenshot({ path: join('test-results', `sandbox-${name}.png`), fullPage: true })
      .catch(() => {});
  }
  await context?.close();
  await sandbox?.close();
});

/** Records, in the page, every title each card showed (cards are re-rendered on each patch). */
async function recordCardTitles(): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { cardTitles: typeof seen }).cardTitles = seen;
    const record = () => {
      for (const li of Array.from(
        document.querySelectorAll<HTMLElement>('#messages li[data-type="interactive"]'),
      )) {
        const title = li.querySelector('.card-header')?.textContent ?? '';
        const id = li.dataset.id ?? '';
        const list = seen[id] ?? [];
        if (list.at(-1) !== title) list.push(title);
        seen[id] = list;
      }
    };
    new MutationObserver(record).observe(document.getElementById('messages')!, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
}

async function send(text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

/** Waits for the video to load in the browser and checks the served bytes are an MP4. */
async function expectPlayableVideo(): Promise<void> {
  const video = page.locator('video[src^="/sandbox/files/"]');
  await video.waitFor({ timeout: 15_000 });
  await page.waitForFunction(
    () => (document.querySelector('video[src^="/sandbox/files/"]') as HTMLVideoElement).readyState >= 1,
  );
  const head = await page.evaluate(async () => {
    const src = (document.querySelector('video[src^="/sandbox/files/"]') as HTMLVideoElement).src;
    const res = await fetch(src, { headers: { range: 'bytes=0-15' } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, type: String.fromCharCode(...bytes.slice(4, 8)) };
  });
  expect(head).toEqual({ status: 206, type: 'ftyp' });
}

describe('sandbox chat page (Chromium)', () => {
  it('/video shows the card go queued → generating → done and plays the video inline', async () => {
    await recordCardTitles();
    // What the bot put on its card, as the fake Feishu received it (the card is sent, then patched).
    const sent: string[] = [];
    const titleOf = (content: string) =>
      (JSON.parse(content) as { header?: { title?: { content?: string } } }).header?.title?.content ?? '';
    sandbox.feishu.on('message', (m) => {
      if (m.msgType === 'interactive') sent.push(titleOf(m.content));
    });
    sandbox.feishu.on('patch', (p) => sent.push(titleOf(p.content)));
    await send('/video 橘猫打哈欠');

    const mine = page.locator('#messages li.mine[data-type="text"]');
    await expect.poll(() => mine.first().textContent()).toContain('/video 橘猫打哈欠');
    const card = page.locator('#messages li[data-type="interactive"] .card-header');
    await card.first().waitFor();
    await page.waitForFunction((done) => document.body.textContent?.includes(done), TITLES.done, {
      timeout: 15_000,
    });
    await expectPlayableVideo();

    // The page showed every state the bot put on the card, in order, live (no reload).
    const cardMsg = sandbox.feishu.botMessages().find((m) => m.msgType === 'interactive')!;
    const shown = await page.evaluate(
      (id) => (window as unknown as { cardTitles: Record<string, string[]> }).cardTitles[id],
      cardMsg.messageId,
    );
    expect([TITLES.queued, TITLES.generating]).toContain(shown?.[0]);
    expect(shown).toContain(TITLES.generating);
    expect(shown?.at(-1)).toBe(TITLES.done);
    expect(shown).toEqual(sent.filter((t, i) => t !== sent[i - 1]));
    // The video is a reply in the thread of the command.
    await expect.poll(() => page.locator('li[data-type="media"] .quote').textContent()).toContain('/video');
    expect(pageErrors).toEqual([]);
  });

  it('an image posted with the file picker and replied to with /video reaches Jimeng byte for byte', async () => {
    const image = png(640, 480);
    await page.setInputFiles('#image-input', { name: 'cat.png', mimeType: 'image/png', buffer: image });
    const imageMsg = page.locator('#messages li[data-type="image"]');
    await imageMsg.locator('img').waitFor();
    await page.waitForFunction(
      () =>
        (document.querySelector('#messages li[data-type="image"] img') as HTMLImageElement).naturalWidth ===
        640,
    );

    await imageMsg.locator('[data-reply]').click();
    await expect.poll(() => page.locator('#reply-text').textContent()).toContain('[图片]');
    await send('/video 让它动起来');

    await expect
      .poll(() => page.locator('#messages li.mine[data-type="text"] .quote').textContent())
      .toContain(`回复 ${WANG.name}：[图片]`);
    await expectPlayableVideo();
    const tasks = [...sandbox.jimeng.tasks.values()];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.prompt).toBe('让它动起来');
    expect(tasks[0]!.images).toHaveLength(1);
    expect(Buffer.compare(tasks[0]!.images[0]!, image)).toBe(0);
    const sentByUser = sandbox.feishu.messages.find((m) => m.msgType === 'text' && m.senderType === 'user');
    expect(sentByUser?.parentId).toBe(await imageMsg.getAttribute('data-id'));
    expect(pageErrors).toEqual([]);
  });

  it('the admin can switch in and get the /usage card', async () => {
    await page.check(`input[name="user"][value="${ADMIN.openId}"]`);
    await send('/usage');
    const card = page.locator('#messages li[data-type="interactive"] .card-header');
    await card.first().waitFor();
    await expect.poll(() => card.first().textContent()).toContain('💰');
    const asked = sandbox.feishu.messages.find((m) => m.senderType === 'user');
    expect(asked).toMatchObject({ senderId: ADMIN.openId, content: JSON.stringify({ text: '/usage' }) });
    await expect
      .poll(() => page.locator('#messages li.mine .meta .name').first().textContent())
      .toBe(ADMIN.name);
    expect(pageErrors).toEqual([]);
  });
});
