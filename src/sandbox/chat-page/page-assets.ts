/** The page itself: index.html, app.js and style.css from src/sandbox/page/. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/sandbox/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/sandbox/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/** `tsc` does not copy the page files, so dist/ falls back to src/. */
const PAGE_DIRS = [
  fileURLToPath(new URL('../page/', import.meta.url)),
  fileURLToPath(new URL('../../../src/sandbox/page/', import.meta.url)),
];

async function readPageFile(name: string): Promise<Buffer> {
  for (const dir of PAGE_DIRS) {
    try {
      return await readFile(dir + name);
    } catch {
      // try the next one
    }
  }
  throw new Error(`sandbox chat page: ${name} not found (looked in ${PAGE_DIRS.join(', ')})`);
}

export function addPageAssets(router: Router): void {
  for (const [path, asset] of Object.entries(ASSETS)) {
    router.get(path, async (ctx) => {
      ctx.type = asset.type;
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = await readPageFile(asset.file);
    });
  }
}
