import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildCardActionEvent } from '../../src/sandbox/lark-event-builder.js';
import { SANDBOX_CHAT, SANDBOX_USERS } from '../../src/sandbox/sandbox-users.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start-sandbox.js';
import { png } from '../helpers/png.js';
import { dumpOf } from '../helpers/sandbox.js';

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
const LI = SANDBOX_USERS[1]!;
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
  await open();
});

/** Starts the sandbox (with `env` over the defaults) and opens its page in a new browser context. */
async function open(env: Record<string, string> = {}): Promise<void> {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'jimeng-e2e-')),
    QUOTA_USER_DAILY: '20',
    JIMENG_MAX_CONCURRENT: '1', // a second video waits in the queue (the card-button test cancels it)
    ...env,
  });
  sandbox = await startSandbox({
    config,
    port: 0,
    generationMs: 1500, // long enough for the page to show the intermediate card states
    minPollMs: 50,
    jimengRetryBaseMs: 10,
    chatPage: true,
    accounts: 1, // one Jimeng account of one task: a second video waits in the queue
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  pageErrors.length = 0;
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(sandbox.pageUrl);
  await page.waitForSelector('body[data-ready="1"]');
}

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
    await page.locator('#attachments img').waitFor();
    await page.click('#send'); // one image alone: an image message
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

  it('typing @ offers the members and sends a real mention: /quota set @小王 10 is done', async () => {
    await page.check(`input[name="user"][value="${ADMIN.openId}"]`);
    await page.click('#text');
    await page.keyboard.type('/quota set @');
    const options = page.locator('#mention-list [role="option"]');
    await expect
      .poll(() => options.locator('.name').allTextContents())
      .toEqual([sandbox.feishu.botName, WANG.name, LI.name, ADMIN.name]);
    await page.keyboard.type('小'); // narrows to 小王, 小李
    await expect.poll(() => options.count()).toBe(2);
    await page.keyboard.press('Enter'); // picks the first: 小王 (Enter does not send while choosing)
    await expect.poll(() => page.inputValue('#text')).toBe('/quota set @小王 ');
    expect(await page.isHidden('#mention-list')).toBe(true);
    await page.keyboard.type('10');
    await page.keyboard.press('Enter');

    const userMessage = () => sandbox.feishu.messages.find((m) => m.senderType === 'user');
    await expect.poll(userMessage).toBeDefined();
    const asked = userMessage()!;
    expect(asked.content).toBe(JSON.stringify({ text: '/quota set @_user_1 10' }));
    expect(asked.mentions).toEqual([{ key: '@_user_1', openId: WANG.openId, name: WANG.name }]);
    // The page shows the mention by name, and the bot's answer: done.
    await expect
      .poll(() => page.locator('#messages li.mine .bubble').textContent())
      .toBe('/quota set @小王 10');
    await expect
      .poll(() => page.locator('#messages li[data-type="text"]:not(.mine) .bubble').last().textContent())
      .toContain(`已把 @${WANG.name} 的每日额度设为 10`);
    // The answer quotes the command as the user saw it: `@小王`, not the `@_user_1` placeholder.
    const quote = page.locator('#messages li[data-type="text"]:not(.mine) .quote').last();
    await expect.poll(() => quote.textContent()).toContain(`/quota set @${WANG.name} 10`);
    expect(await quote.textContent()).not.toContain('@_user_');
    expect(pageErrors).toEqual([]);
  });

  it('follows every new message (images too, once loaded) unless the user has scrolled up', async () => {
    const list = page.locator('#messages');
    const gap = () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    for (let i = 0; i < 30; i++)
      sandbox.feishu.addUserMessage({
        chatId: SANDBOX_CHAT,
        senderOpenId: LI.openId,
        msgType: 'text',
        content: { text: `第 ${i + 1} 条闲聊` },
      });
    await expect.poll(() => page.locator('#messages li').count()).toBe(30);
    await expect.poll(gap).toBeLessThan(2);

    // An image arrives: the list is at its end once the image has loaded (it is taller than its slot;
    // served late, so that it grows the message after the page has scrolled to it).
    await page.route('**/sandbox/images/**', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.setInputFiles('#image-input', {
      name: 'a.png',
      mimeType: 'image/png',
      buffer: png(480, 360),
    });
    await page.click('#send');
    await page.waitForFunction(
      () =>
        (document.querySelector('#messages li[data-type="image"] img') as HTMLImageElement | null)?.complete,
    );
    await expect.poll(gap).toBeLessThan(2);
    const last = await page.locator('#messages li').last().getAttribute('data-type');
    expect(last).toBe('image');

    // Scrolled up to read: a new message does not pull the list down; a button offers to jump.
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBe(0);
    sandbox.feishu.addUserMessage({
      chatId: SANDBOX_CHAT,
      senderOpenId: LI.openId,
      msgType: 'text',
      content: { text: '有人在吗' },
    });
    await expect.poll(() => page.locator('#messages li').count()).toBe(32);
    await expect.poll(() => page.isVisible('#jump')).toBe(true);
    expect(await list.evaluate((el) => el.scrollTop)).toBe(0);
    await page.click('#jump');
    await expect.poll(gap).toBeLessThan(2);
    expect(pageErrors).toEqual([]);
  });

  it('at 390 px the identity switcher and simulator panel are a drawer opened from the header', async () => {
    const narrow = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await narrow.newPage();
    try {
      await p.goto(sandbox.pageUrl);
      await p.waitForSelector('body[data-ready="1"]');
      const inView = async (sel: string) => {
        const box = await p.locator(sel).boundingBox();
        return !!box && box.x >= 0 && box.x + box.width <= 390 && box.y >= 0 && box.y + box.height <= 844;
      };
      // The chat fills the screen, the composer included; the settings are out of the way.
      expect(await inView('#composer')).toBe(true);
      expect(await p.isVisible('#side')).toBe(false);
      expect(await p.isVisible('#drawer-toggle')).toBe(true);
      expect(await p.textContent('#drawer-user')).toBe(WANG.name);

      await p.click('#drawer-toggle');
      await expect.poll(() => p.getAttribute('#drawer-toggle', 'aria-expanded')).toBe('true');
      await expect.poll(() => inView('#users')).toBe(true);
      expect(await p.isVisible('#gen-seconds')).toBe(true);
      await p.check(`input[name="user"][value="${LI.openId}"]`);
      await p.keyboard.press('Escape');
      await expect.poll(() => p.isVisible('#side')).toBe(false);
      expect(await p.textContent('#drawer-user')).toBe(LI.name);

      // Back in the chat, as 小李.
      await p.fill('#text', '/help');
      await p.press('#text', 'Enter');
      await expect.poll(() => p.locator('#messages li.mine .meta .name').first().textContent()).toBe(LI.name);
      // The drawer also closes from its own button and from a tap beside it.
      await p.click('#drawer-toggle');
      await expect.poll(() => p.isVisible('#side')).toBe(true);
      await p.mouse.click(10, 400);
      await expect.poll(() => p.isVisible('#side')).toBe(false);
    } finally {
      await narrow.close();
    }
  });

  it('a click on a card button reaches the bot as a signed callback: the queued job is cancelled, the toast shows', async () => {
    sandbox.jimeng.setGenerationMs(60_000);
    await send('/video 第一个');
    await expect.poll(() => dumpOf(sandbox).jobs.length).toBe(1);
    await send('/video 第二个');
    await expect
      .poll(() => dumpOf(sandbox).jobs.map((j) => j.state))
      .toEqual([expect.not.stringMatching(/queued/), 'queued']);
    // The bot's card of the queued job carries 取消.
    await expect.poll(() => dumpOf(sandbox).jobs[1]!.card.sent).toBeGreaterThan(0);
    const queued = dumpOf(sandbox).jobs[1]!;
    const queuedCard = page.locator(`#messages li[data-id="${queued.card.messageId}"]`);
    await queuedCard.locator('button[data-card-action]', { hasText: '取消' }).click();
    await expect
      .poll(() => page.locator('#toasts .toast').first().textContent())
      .toContain(`已取消任务 ${queued.id}`);
    await expect.poll(() => dumpOf(sandbox).jobs[1]!.state).toBe('cancelled');
    // The answer card replaces the clicked one at once: cancelled, no buttons left.
    await expect.poll(() => queuedCard.locator('.card-header').textContent()).toContain('已取消');
    expect(await queuedCard.locator('button[data-card-action]').count()).toBe(0);

    // A form (the test sends one itself: the bot's forms only come on finished videos).
    const { messageId } = await sandbox.app.messenger.sendCard(
      SANDBOX_CHAT,
      {
        schema: '2.0',
        config: { update_multi: true },
        header: { title: { tag: 'plain_text', content: '测试：表单' } },
        body: {
          elements: [
            {
              tag: 'form',
              name: 'edit',
              elements: [
                { tag: 'input', name: 'prompt', default_value: '橘猫', required: true },
                {
                  tag: 'button',
                  name: 'edit_submit',
                  form_action_type: 'submit',
                  text: { tag: 'plain_text', content: '改提示词' },
                  behaviors: [{ type: 'callback', value: { action: 'edit', job: queued.id } }],
                },
              ],
            },
          ],
        },
      },
      { uuid: 'e2e-form-card' },
    );
    const card = page.locator(`#messages li[data-id="${messageId}"]`);
    // The form: what the user typed goes as form_value, with the submit button's value and name.
    await card.locator('input[name="prompt"]').fill('橘猫在雪地里打滚');
    const request = page.waitForRequest('**/sandbox/card-actions');
    await card.locator('button[type="submit"]').click();
    expect((await request).postDataJSON()).toMatchObject({
      user: WANG.openId,
      messageId,
      name: 'edit_submit',
      value: { action: 'edit', job: queued.id },
      formValue: { prompt: '橘猫在雪地里打滚' },
    });
    await expect.poll(() => page.locator('#toasts .toast').count()).toBeGreaterThan(0);

    // The webhook takes only signed callbacks: the same click unsigned is refused.
    const forged = buildCardActionEvent({
      appId: sandbox.config.lark.appId,
      token: sandbox.config.lark.verificationToken,
      messageId,
      chatId: SANDBOX_CHAT,
      operatorOpenId: WANG.openId,
      value: { action: 'cancel', job: queued.id },
    });
    const res = await fetch(sandbox.webhookUrl, { method: 'POST', body: JSON.stringify(forged) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(pageErrors).toEqual([]);
  });

  it('再来一个 on the result card, clicked as another user, makes that user a second video in the thread; 改提示词 a third', async () => {
    sandbox.jimeng.setGenerationMs(300);
    await send('/video 橘猫打哈欠');
    const media = page.locator('#messages li[data-type="media"]');
    await expect.poll(() => media.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => dumpOf(sandbox).jobs[0]?.state).toBe('delivered');
    const first = dumpOf(sandbox).jobs[0]!;
    const command = sandbox.feishu.messages.find((m) => m.senderType === 'user')!;
    // The result card in the page: its buttons, each with its price.
    const resultCard = page.locator(`#messages li[data-id="${first.card.messageId}"]`);
    await expect.poll(() => resultCard.locator('.card-header').textContent()).toContain(TITLES.done);
    const reroll = resultCard.locator('button[data-card-action]', { hasText: '再来一个' });
    await expect.poll(() => reroll.textContent()).toBe('再来一个 · ¥3.0');
    expect(await resultCard.locator('button[data-card-action]').allTextContents()).toEqual([
      '再来一个 · ¥3.0',
      '高清版 · ¥4.0',
      '10 秒版 · ¥6.0',
    ]);

    // 小李 clicks 再来一个 on 小王's card: the job is 小李's.
    await page.check(`input[name="user"][value="${LI.openId}"]`);
    await reroll.click();
    await expect
      .poll(() => page.locator('#toasts .toast').first().textContent())
      .toMatch(/^已加入队列，第 1 位（任务 J0002）$/);
    // The answer card shows the pressed button as in progress.
    await expect
      .poll(() => resultCard.locator('button', { hasText: '再来一个' }).textContent())
      .toBe('再来一个 · 已加入队列');
    await expect.poll(() => media.count(), { timeout: 15_000 }).toBe(2);
    const second = dumpOf(sandbox).jobs[1]!;
    expect(second).toMatchObject({
      state: 'delivered',
      userOpenId: LI.openId,
      origin: { action: 'reroll', fromJob: first.id },
      prompt: first.prompt,
      messageId: first.card.messageId,
    });
    expect(second.seed).not.toBe(first.seed);
    // Both videos are in the thread of the command: the second replies to the clicked card.
    const videos = sandbox.feishu.botMessages().filter((m) => m.msgType === 'media');
    expect(videos).toHaveLength(2);
    expect(videos.map((v) => v.rootId)).toEqual([command.messageId, command.messageId]);
    expect(videos[1]!.parentId).toBe(first.card.messageId);
    expect(videos[1]!.threadId).toBe(videos[0]!.threadId);
    // 小李's own progress card for J0002 arrived in the thread too, and ended done.
    const secondCard = page.locator(`#messages li[data-id="${second.card.messageId}"]`);
    await expect.poll(() => secondCard.locator('.card-header').textContent()).toContain(TITLES.done);
    expect(await secondCard.textContent()).toContain(`J0002（由 ${first.id} 的「再来一个」生成）`);

    // 改提示词 on the bot's result card: the form is prefilled with the prompt; the edited one reaches Jimeng.
    await page.check(`input[name="user"][value="${WANG.openId}"]`);
    const field = secondCard.locator('textarea[name="prompt"]');
    expect(await field.inputValue()).toBe(first.prompt);
    await field.fill('橘猫在雪地里打滚\n镜头2：它抖掉身上的雪');
    await secondCard.locator('button[type="submit"]', { hasText: '改提示词' }).click();
    await expect
      .poll(() => page.locator('#toasts .toast').last().textContent())
      .toMatch(/^已加入队列，第 1 位（任务 J0003）$/);
    await expect.poll(() => media.count(), { timeout: 15_000 }).toBe(3);
    const third = dumpOf(sandbox).jobs[2]!;
    expect(third).toMatchObject({
      state: 'delivered',
      userOpenId: WANG.openId,
      origin: { action: 'edit', fromJob: second.id },
      prompt: '橘猫在雪地里打滚\n镜头2：它抖掉身上的雪',
      seed: second.seed, // 改提示词 keeps the seed
    });
    const tasks = [...sandbox.jimeng.tasks.values()];
    expect(tasks.map((t) => t.prompt)).toEqual([
      first.prompt,
      first.prompt,
      '橘猫在雪地里打滚\n镜头2：它抖掉身上的雪',
    ]);
    expect(tasks[2]!.requestedSeed).toBe(second.seed);
    expect(tasks[1]!.requestedSeed).toBe(second.seed);
    expect(
      sandbox.feishu
        .botMessages()
        .filter((m) => m.msgType === 'media')
        .at(-1)!.rootId,
    ).toBe(command.messageId);
    expect(pageErrors).toEqual([]);
  });

  it('in English (BOT_LOCALE=en): the result card says its buttons in English, and 高清版 (HD) answers with an English toast', async () => {
    await context.close();
    await sandbox.close();
    await open({ BOT_LOCALE: 'en' });
    sandbox.jimeng.setGenerationMs(300);
    await send('/video an orange cat yawning');
    await expect.poll(() => dumpOf(sandbox).jobs[0]?.state, { timeout: 15_000 }).toBe('delivered');
    const first = dumpOf(sandbox).jobs[0]!;
    const card = page.locator(`#messages li[data-id="${first.card.messageId}"]`);
    await expect.poll(() => card.locator('.card-header').textContent()).toBe('✅ Video ready');
    await expect
      .poll(() => card.locator('button[data-card-action]').allTextContents())
      .toEqual(['Again · ¥3.0', 'HD · ¥4.0', '10 s · ¥6.0']);
    expect(await card.locator('button[type="submit"]').textContent()).toBe('Edit prompt · ¥3.0');

    await card.locator('button[data-card-action]', { hasText: 'HD' }).click();
    await expect
      .poll(() => page.locator('#toasts .toast').first().textContent())
      .toBe('Queued, #1 (job J0002)');
    await expect.poll(() => card.locator('button', { hasText: 'HD' }).textContent()).toBe('HD · queued');
    await expect
      .poll(() => page.locator('#messages li[data-type="media"]').count(), { timeout: 15_000 })
      .toBe(2);
    const hd = dumpOf(sandbox).jobs[1]!;
    expect(hd).toMatchObject({
      userOpenId: WANG.openId,
      origin: { action: 'hd', fromJob: first.id },
      tier: '1080p',
      reqKey: 'jimeng_t2v_v30_1080p',
      seed: first.seed, // same video, higher quality
      state: 'delivered',
    });
    const hdCard = page.locator(`#messages li[data-id="${hd.card.messageId}"]`);
    await expect.poll(() => hdCard.locator('.card-header').textContent()).toBe('✅ Video ready');
    // Already 1080P: no HD button on the new card.
    await expect
      .poll(() => hdCard.locator('button[data-card-action]').allTextContents())
      .toEqual(['Again · ¥4.0', '10 s · ¥8.0']);

    // A refusal is in English too: a click on a job that does not exist.
    await page.evaluate(
      async ([messageId, user]) => {
        const res = await fetch('/sandbox/card-actions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user, messageId, value: { action: 'reroll', job: 'J9999' } }),
        });
        (window as unknown as { answer: unknown }).answer = await res.json();
      },
      [first.card.messageId!, WANG.openId],
    );
    expect(await page.evaluate(() => (window as unknown as { answer: unknown }).answer)).toMatchObject({
      toast: { content: 'Job J9999 no longer exists (old jobs are cleaned up); send /video again' },
    });
    expect(pageErrors).toEqual([]);
  });

  it('a post carries two images and the /video text in one message', async () => {
    const first = png(640, 360);
    const second = png(1280, 720); // the last frame must have the first one's ratio
    await page.setInputFiles('#image-input', [
      { name: 'day.png', mimeType: 'image/png', buffer: first },
      { name: 'night.png', mimeType: 'image/png', buffer: second },
    ]);
    await expect.poll(() => page.locator('#attachments img').count()).toBe(2);
    await send('/video 从白天到黑夜');
    const post = page.locator('#messages li[data-type="post"]');
    await post.waitFor();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('#messages li[data-type="post"] img')).every(
        (i) => i.complete && i.naturalWidth > 0,
      ),
    );
    expect(await post.locator('img').count()).toBe(2);
    expect(await post.locator('.bubble').textContent()).toContain('/video 从白天到黑夜');
    await expect.poll(() => page.locator('#attachments img').count()).toBe(0);

    const stored = sandbox.feishu.messages.find((m) => m.msgType === 'post')!;
    const nodes = (
      JSON.parse(stored.content) as { content: { tag: string; image_key?: string }[][] }
    ).content.flat();
    const keys = nodes.filter((n) => n.tag === 'img').map((n) => n.image_key!);
    expect(keys).toHaveLength(2);
    expect(Buffer.compare(sandbox.feishu.images.get(keys[0]!)!.bytes, first)).toBe(0);
    expect(Buffer.compare(sandbox.feishu.images.get(keys[1]!)!.bytes, second)).toBe(0);
    // The bot took it as one request with images (a video made from it).
    await expect.poll(() => sandbox.jimeng.tasks.size, { timeout: 10_000 }).toBe(1);
    const task = [...sandbox.jimeng.tasks.values()][0]!;
    expect(task.prompt).toBe('从白天到黑夜');
    expect(Buffer.compare(task.images[0]!, first)).toBe(0);
    expect(Buffer.compare(task.images[1]!, second)).toBe(0); // first and last frame, in order
    expect(task.reqKey).toBe('jimeng_i2v_first_tail_v30');
    expect(pageErrors).toEqual([]);
  });
});
