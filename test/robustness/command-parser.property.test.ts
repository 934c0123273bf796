import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PROMPT_CHARS, parseCommand } from '../../src/bot/router.js';
import { TEXTS } from '../../src/bot/texts/index.js';

const BOT = 'ou_bot000000000000000000000000000001';
const TYPES = new Set([
  'ignore',
  'help',
  'models',
  'mention_only',
  'video',
  'quota',
  'jobs',
  'cancel',
  'quota_set',
  'quota_add',
  'quota_chat',
  'usage',
  'pause',
  'resume',
  'error',
]);

const word = fc.oneof(
  fc.constantFrom(
    '/video',
    '/视频',
    '/help',
    '/models',
    '/jobs',
    '/cancel',
    '/quota',
    '/usage',
    '/pause',
    '/resume',
    '--model',
    '-m',
    '--duration',
    '-d',
    '--ratio',
    '-r',
    '--seed',
    '-s',
    '--',
    '=',
    '@_user_1',
    '1080p',
    '16:9',
    '10',
    '-1',
    'NaN',
    '1e309',
    '＂',
    '"',
    "'",
    '\u200b',
    '\n',
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);
const text = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.array(word, { maxLength: 12 }).map((w) => w.join(' ')),
  fc.array(word, { maxLength: 12 }).map((w) => w.join('')),
);
const mentions = fc.array(
  fc.record({
    key: fc.constantFrom('@_user_1', '@_user_2', '@_all', ''),
    openId: fc.constantFrom(BOT, 'ou_other', ''),
    name: fc.string({ maxLength: 10 }),
  }),
  { maxLength: 3 },
);

describe('command parser under hostile input', () => {
  it('never throws; always a known result; every rejection carries a message for the user', () => {
    fc.assert(
      fc.property(
        text,
        mentions,
        fc.constantFrom('group', 'p2p', 'topic', ''),
        fc.constantFrom('zh', 'en') as fc.Arbitrary<'zh' | 'en'>,
        fc.boolean(),
        (t, m, chatType, locale, knowsBot) => {
          const r = parseCommand(t, {
            mentions: m,
            chatType,
            ...(knowsBot ? { botOpenId: BOT } : {}),
          });
          expect(TYPES.has(r.type)).toBe(true);
          if (r.type === 'error') {
            expect(typeof r.code).toBe('string');
            const message = TEXTS[locale].parseError(r);
            expect(message.trim().length).toBeGreaterThan(0);
            expect(message.length).toBeLessThan(2000);
          }
          if (r.type === 'video') {
            expect(r.prompt.trim().length).toBeGreaterThan(0);
            expect([...r.prompt].length).toBeLessThanOrEqual(MAX_PROMPT_CHARS);
            if (r.duration !== undefined) expect([5, 10]).toContain(r.duration);
            if (r.seed !== undefined) expect(Number.isFinite(r.seed)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('in a group, a message with no mention and no slash is ignored (the bot skips the parser for it)', () => {
    const slashless = fc
      .oneof(text, fc.string({ unit: 'binary', maxLength: 200 }))
      .map((t) => t.replace(/[/／]/g, ''));
    fc.assert(
      fc.property(slashless, fc.constantFrom('group', 'topic', ''), fc.boolean(), (t, chatType, knowsBot) => {
        const r = parseCommand(t, { mentions: [], chatType, ...(knowsBot ? { botOpenId: BOT } : {}) });
        expect(r.type).toBe('ignore');
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(text, (t) => {
        const ctx = { mentions: [], chatType: 'p2p' };
        expect(parseCommand(t, ctx)).toEqual(parseCommand(t, ctx));
      }),
      { numRuns: 500 },
    );
  });
});
