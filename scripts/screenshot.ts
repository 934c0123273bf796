// Saves screenshots of the sandbox chat page. Run: npx tsx scripts/screenshot.ts (needs chromium;
// fonts-noto-cjk and fonts-noto-color-emoji for readable Chinese and emoji). Views, by environment:
// - default: the whole page after a successful /video run → docs/sandbox.png; with DRAWER=1 the
//   identity/simulator drawer open (narrow widths), with MENTION=1 the @ picker open;
// - CARD=1: the delivered result card with its buttons (prices) and the 改提示词 form, cropped to the card
//   → docs/result-card.png;
// - FIRST_LAST=1: a post with two images (same aspect ratio: Jimeng wants the last frame in the first
//   frame's ratio) and /video, and the bot's card (mode 首尾帧视频) and video, cropped → docs/first-last-frame.png.
// Other options: W, H (viewport, default 1280×1160, tall enough for the command, the card with its buttons
// and the video; 1280×1600 and 1000×1600 for the cropped views), DPR
// (default 1, 2 for the cropped views), OUT (file).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { startSandbox } from '../src/sandbox/start-sandbox.js';

const view = process.env.CARD ? 'card' : process.env.FIRST_LAST ? 'first-last' : 'page';
const cropped = view !== 'page';
const out =
  process.env.OUT ??
  { page: 'docs/sandbox.png', card: 'docs/result-card.png', 'first-last': 'docs/first-last-frame.png' }[view];

const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'sbx-shot-')) });
const sb = await startSandbox({ config, port: 0, generationMs: 2000, chatPage: true, minPollMs: 100 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});
const page = await browser.newPage({
  viewport: {
    width: Number(process.env.W ?? (view === 'first-last' ? 1000 : 1280)),
    height: Number(process.env.H ?? (cropped ? 1600 : 1160)),
  },
  deviceScaleFactor: Number(process.env.DPR ?? (cropped ? 2 : 1)),
});
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(sb.pageUrl);
await page.waitForSelector('body[data-ready="1"]');

if (view === 'first-last') {
  // Two frames of one scene, both 16:9: day, then night.
  const [day, night] = await Promise.all([frame(page, 'day'), frame(page, 'night')]);
  await page.setInputFiles('#image-input', [
    { name: 'day.png', mimeType: 'image/png', buffer: day },
    { name: 'night.png', mimeType: 'image/png', buffer: night },
  ]);
  await page.waitForFunction(() => document.querySelectorAll('#attachments img').length === 2);
  await page.fill('#text', '/video 从白天到黑夜，灯一盏盏亮起');
} else await page.fill('#text', '/video 橘猫打哈欠');
await page.press('#text', 'Enter');
await page.waitForSelector('video[src^="/sandbox/files/"]', { timeout: 30000 });
await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).readyState >= 2);
await page.evaluate(() => {
  const v = document.querySelector('video') as HTMLVideoElement;
  v.currentTime = 1;
});
// The card is patched to its result (with the buttons) just after the video is sent.
const card = page.locator('#messages li[data-type="interactive"]', { hasText: '视频已生成' });
await card.locator('button[data-card-action]').first().waitFor({ timeout: 10000 });
await page.waitForTimeout(800);
if (process.env.MENTION) {
  await page.click('#text');
  await page.keyboard.type('/quota set @');
  await page.waitForSelector('#mention-list:not([hidden])');
} else await page.locator('#text').blur();
if (process.env.DRAWER) {
  await page.click('#drawer-toggle');
  await page.waitForTimeout(400);
}

if (view === 'card') await shoot([card]);
else if (view === 'first-last')
  await shoot([
    page.locator('#messages li[data-type="post"]'),
    card,
    page.locator('#messages li[data-type="media"]'),
  ]);
else await page.screenshot({ path: out });
console.log(`saved ${out}`);
await browser.close();
await sb.close();

/** A screenshot of the area covering these messages (the list scrolled so that all of them show). */
async function shoot(parts: Locator[]): Promise<void> {
  await parts[0]!.scrollIntoViewIfNeeded();
  // Each message's avatar and content (not the full-width row): the crop is as wide as what shows.
  const boxes = (
    await Promise.all(
      parts.map((p) =>
        Promise.all([p.locator('> .avatar').boundingBox(), p.locator('> .msg-main').boundingBox()]),
      ),
    )
  )
    .flat()
    .filter((b) => b !== null);
  const pad = 12;
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + pad;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + pad;
  await page.screenshot({ path: out, clip: { x, y, width: right - x, height: bottom - y } });
}

/** A 640×360 PNG drawn in the page: a street at day or at night. */
async function frame(p: Page, time: 'day' | 'night'): Promise<Buffer> {
  const dataUrl = await p.evaluate((t) => {
    const c = document.createElement('canvas');
    c.width = 640;
    c.height = 360;
    const g = c.getContext('2d')!;
    const sky = g.createLinearGradient(0, 0, 0, 260);
    sky.addColorStop(0, t === 'day' ? '#5aa9e6' : '#0b1026');
    sky.addColorStop(1, t === 'day' ? '#cfe9ff' : '#2a2f5a');
    g.fillStyle = sky;
    g.fillRect(0, 0, 640, 360);
    g.fillStyle = t === 'day' ? '#ffd34d' : '#f4f1c9';
    g.beginPath();
    g.arc(520, 70, 32, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = t === 'day' ? '#7a8a99' : '#1a1d33';
    g.fillRect(0, 260, 640, 100);
    const houses = [40, 150, 260, 370, 480];
    houses.forEach((hx, i) => {
      const h = 90 + ((i * 37) % 60);
      g.fillStyle = t === 'day' ? ['#e07a5f', '#f2cc8f', '#81b29a', '#3d405b', '#e9c46a'][i]! : '#20233f';
      g.fillRect(hx, 260 - h, 90, h);
      g.fillStyle = t === 'day' ? '#dfe7ee' : '#ffd166';
      for (let wy = 260 - h + 15; wy < 245; wy += 28)
        for (const wx of [hx + 15, hx + 55]) g.fillRect(wx, wy, 20, 14);
    });
    return c.toDataURL('image/png');
  }, time);
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}
