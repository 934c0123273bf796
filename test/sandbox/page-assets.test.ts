import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageModules } from '../../src/sandbox/chat-page/page-assets.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { testSandbox } from '../helpers/sandbox.js';

const PAGE = new URL('../../src/sandbox/page/', import.meta.url);

let sb: Sandbox;
beforeAll(async () => {
  sb = await testSandbox({}, { chatPage: true });
});
afterAll(async () => {
  await sb.close();
});

/** A GET with the path sent exactly as written (fetch would resolve `..` before sending). */
function rawGet(path: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(sb.pageUrl);
  return new Promise((resolve, reject) => {
    get({ hostname, port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    }).on('error', reject);
  });
}

/** The relative modules a page script imports (`import … from './js/x.js'`). */
const importsOf = (source: string) => [...source.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);

describe('the page modules', () => {
  it('serves app.js and every module it imports, transitively, as JavaScript', async () => {
    const seen = new Set<string>();
    const todo = ['/sandbox/app.js'];
    while (todo.length > 0) {
      const path = todo.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await rawGet(path);
      expect(res.status, path).toBe(200);
      expect(res.type, path).toBe('text/javascript; charset=utf-8');
      const file = new URL(path.replace(/^\/sandbox\//, ''), PAGE);
      expect(res.body, path).toBe(readFileSync(file, 'utf8'));
      for (const rel of importsOf(res.body)) todo.push(new URL(rel, `http://page${path}`).pathname);
    }
    // Every module in js/ is one the page uses.
    const served = [...seen].filter((p) => p.startsWith('/sandbox/js/')).map((p) => p.slice(12));
    expect(served.sort()).toEqual(pageModules());
  });

  it('lists every .js file in src/sandbox/page/js/', () => {
    const files = readdirSync(new URL('js/', PAGE)).filter((n) => n.endsWith('.js'));
    expect(pageModules()).toEqual(files.sort());
  });

  it('refuses anything else under /sandbox/js/, ../ (plain or encoded) included', async () => {
    const secret = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8').slice(0, 60);
    for (const path of [
      '/sandbox/js/../../config.ts',
      '/sandbox/js/../../../config.ts',
      '/sandbox/js/../../../../package.json',
      '/sandbox/js/..%2F..%2F..%2Fconfig.ts',
      '/sandbox/js/%2e%2e/%2e%2e/%2e%2e/config.ts',
      '/sandbox/js/%2E%2E%2F%2E%2E%2F%2E%2E%2Fconfig.ts',
      '/sandbox/js/%252e%252e%252f%252e%252e%252fconfig.ts',
      '/sandbox/js/..%5C..%5C..%5Cconfig.ts',
      '/sandbox/js/....//....//config.ts',
      '/sandbox/js/../app.js',
      '/sandbox/js/../index.html',
      '/sandbox/js/state.js%00.ts',
      '/sandbox/js/nope.js',
      '/sandbox/js/',
      '/sandbox/js',
      '/sandbox/../src/config.ts',
    ]) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain(secret);
      expect(res.type, path).not.toContain('javascript');
    }
  });
});
