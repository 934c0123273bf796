/**
 * The page itself from src/sandbox/page/: index.html, style.css, app.js and the browser modules it imports
 * from js/ (plain ES modules, served as they are).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';

const JS = 'text/javascript; charset=utf-8';

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/sandbox/app.js': { file: 'app.js', type: JS },
  '/sandbox/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/** `tsc` does not copy the page files (`npm run build` does), so dist/ falls back to src/. */
const PAGE_DIRS = [
  fileURLToPath(new URL('../page/', import.meta.url)),
  fileURLToPath(new URL('../../../src/sandbox/page/', import.meta.url)),
];

/** A module's file name: no dots but the `.js`, no slashes, nothing to escape. */
const MODULE_NAME = /^[a-z][a-z0-9-]*\.js$/;

/**
 * The modules in js/, listed once when the routes are made: each gets its own route, so a request for
 * anything else under /sandbox/js/ (`../`, encoded or not) matches no route at all.
 */
export function pageModules(): string[] {
  for (const dir of PAGE_DIRS) {
    let names: string[];
    try {
      names = readdirSync(`${dir}js`);
    } catch {
      continue; // try the next one
    }
    return names.filter((n) => MODULE_NAME.test(n)).sort();
  }
  return [];
}

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
  const assets = { ...ASSETS };
  for (const name of pageModules()) assets[`/sandbox/js/${name}`] = { file: `js/${name}`, type: JS };
  for (const [path, asset] of Object.entries(assets)) {
    router.get(path, async (ctx) => {
      ctx.type = asset.type;
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = await readPageFile(asset.file);
    });
  }
}
