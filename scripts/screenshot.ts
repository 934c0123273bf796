// Saves a screenshot of the sandbox chat page after a successful /video run (docs/sandbox.png by default).
// Run: npx tsx scripts/screenshot.ts (needs chromium; fonts-noto-cjk and fonts-noto-color-emoji for
// readable Chinese and emoji). Options by environment: W, H (viewport, default 1280×880), DPR, OUT (file),
// DRAWER=1 (open the identity/simulator drawer, narrow widths), MENTION=1 (the @ picker open).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { startSandbox } from '../src/sandbox/start-sandbox.js';

const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'sbx-shot-')) });
const sb = await startSandbox({ config, port: 0, generationMs: 2000, chatPage: true, minPollMs: 100 });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});
const page = await browser.newPage({
  viewport: { width: Number(process.env.W ?? 1280), height: Number(process.env.H ?? 880) },
  deviceScaleFactor: Number(process.env.DPR ?? 1),
});
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(sb.pageUrl);
await page.waitForSelector('body[data-ready="1"]');
await page.fill('#text', '/video 橘猫打哈欠');
await page.press('#text', 'Enter');
await page.waitForSelector('video[src^="/sandbox/files/"]', { timeout: 30000 });
await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).readyState >= 2);
await page.evaluate(() => {
  const v = document.querySelector('video') as HTMLVideoElement;
  v.currentTime = 1;
});
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
await page.screenshot({ path: process.env.OUT ?? 'docs/sandbox.png' });
await browser.close();
await sb.close();
