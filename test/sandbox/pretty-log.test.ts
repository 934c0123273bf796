import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { formatLogLine } from '../../src/log-pretty.js';

describe('the sandbox terminal log (pretty)', () => {
  const at = new Date(2025, 0, 2, 9, 8, 7).getTime();

  it('prints time, level, component, message and the other fields on one line', () => {
    const line = formatLogLine(
      JSON.stringify({
        level: 30,
        time: at,
        pid: 1,
        hostname: 'h',
        component: 'jobs',
        msg: 'job submitted',
        job: 'J0001',
        prompt: '橘猫 打哈欠',
        n: 3,
      }),
    );
    expect(line).toBe('09:08:07 INFO  jobs       job submitted  job=J0001 prompt="橘猫 打哈欠" n=3\n');
  });

  it('shows an error as type and message, with a few stack frames at level error', () => {
    const err = {
      type: 'LarkApiError',
      message: 'rate limited',
      code: 99991400,
      stack: 'LarkApiError: x\n    at a (f.js:1)\n    at b (f.js:2)',
    };
    expect(formatLogLine(JSON.stringify({ level: 40, time: at, msg: 'retrying', err }))).toBe(
      '09:08:07 WARN             retrying  err="LarkApiError: rate limited (99991400)"\n',
    );
    expect(formatLogLine(JSON.stringify({ level: 50, time: at, msg: 'failed', err }))).toBe(
      '09:08:07 ERROR            failed  err="LarkApiError: rate limited (99991400)"\n    at a (f.js:1)\n    at b (f.js:2)\n',
    );
  });

  it('cuts long values and passes lines that are not JSON through', () => {
    const line = formatLogLine(JSON.stringify({ level: 30, time: at, msg: 'm', body: 'x'.repeat(200) }));
    expect(line.length).toBeLessThan(120);
    expect(line).toContain('…');
    expect(formatLogLine('plain text')).toBe('plain text\n');
  });

  it('keeps the redaction of createLogger', () => {
    const lines: string[] = [];
    const log = createLogger({
      pretty: { color: false },
      destination: { write: (s: string) => lines.push(s) },
    });
    log.child({ component: 'lark' }).info({ appSecret: 'very-secret', chat: 'oc_1' }, 'hello');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}lark {7}hello {2}appSecret=\[redacted\] chat=oc_1\n$/);
    expect(lines[0]).not.toContain('very-secret');
  });
});
