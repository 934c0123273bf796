import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as jimengRetry from '../../src/jimeng/retry.js';
import * as sharedRetry from '../../src/util/retry.js';

const DIR = join(import.meta.dirname, '../../src/jimeng');

describe('src/jimeng layout', () => {
  it('keeps every file under 300 lines (one concern per file)', async () => {
    const long: string[] = [];
    for (const name of await readdir(DIR)) {
      const lines = (await readFile(join(DIR, name), 'utf8')).split('\n').length;
      if (lines > 300) long.push(`${name}: ${lines}`);
    }
    expect(long).toEqual([]);
  });

  it('has one retry loop, shared in src/util/retry.ts and re-exported by jimeng/retry.ts', () => {
    expect(jimengRetry.withRetry).toBe(sharedRetry.withRetry);
    expect(jimengRetry.backoffDelay).toBe(sharedRetry.backoffDelay);
  });

  it('splits the client by concern', async () => {
    const names = await readdir(DIR);
    for (const f of ['signed-call.ts', 'submit.ts', 'get-result.ts', 'wait.ts', 'check.ts', 'client.ts']) {
      expect(names).toContain(f);
    }
  });
});
