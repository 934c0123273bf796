import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PROMPT_CHARS,
  type Mention,
  type ParseContext,
  type ParsedInput,
  parseCommand,
  tokenize,
  VIDEO_RATIOS,
} from '../../src/bot/router.js';
import { TEXTS } from '../../src/bot/texts/index.js';

const BOT: Mention = { key: '@_user_1', openId: 'ou_bot', name: '即梦助手' };
const ALICE: Mention = { key: '@_user_2', openId: 'ou_alice', name: 'Alice' };
const BOB: Mention = { key: '@_user_10', openId: 'ou_bob', name: '小明' };

const group = (mentions: Mention[] = [BOT, ALICE, BOB], botOpenId: string | null = 'ou_bot'): ParseContext =>
  botOpenId === null ? { mentions, chatType: 'group' } : { mentions, botOpenId, chatType: 'group' };
const p2p: ParseContext = { mentions: [], botOpenId: 'ou_bot', chatType: 'p2p' };

const inGroup = (text: string) => parseCommand(text, group());
const inP2p = (text: string) => parseCommand(text, p2p);

function expectError(r: ParsedInput, code: string): string {
  expect(r.type).toBe('error');
  if (r.type !== 'error') throw new Error('not an error');
  expect(r.code).toBe(code);
  const message = TEXTS.zh.parseError(r);
  expect(message).toMatch(/[\u4e00-\u9fff]/);
  return message;
}

describe('parseCommand: /video', () => {
  it.each([
    ['@_user_1 /video 橘猫打哈欠', { type: 'video', prompt: '橘猫打哈欠' }],
    ['/video 橘猫打哈欠', { type: 'video', prompt: '橘猫打哈欠' }],
    ['/Video 橘猫打哈欠', { type: 'video', prompt: '橘猫打哈欠' }],
    ['/VIDEO 橘猫打哈欠', { type: 'video', prompt: '橘猫打哈欠' }],
    ['／video 橘猫打哈欠', { type: 'video', prompt: '橘猫打哈欠' }],
    ['/视频 橘猫打哈欠', { type: 'video', prompt: '橘猫打哈欠' }],
    ['/视频橘猫打哈欠', { type: 'video', prompt: '橘猫打哈欠' }],
    ['/video橘猫打哈欠', { type: 'video', prompt: '橘猫打哈欠' }],
    [
      '/video --ratio 9:16 -d 10 海边日落延时',
      { type: 'video', prompt: '海边日落延时', ratio: '9:16', duration: 10 },
    ],
    [
      '/video --model pro --duration 5 --ratio 21:9 --seed 42 赛博朋克城市',
      { type: 'video', prompt: '赛博朋克城市', model: 'pro', duration: 5, ratio: '21:9', seed: 42 },
    ],
    [
      '/video -m 1080p -r 1:1 -s 7 猫',
      { type: 'video', prompt: '猫', model: '1080p', ratio: '1:1', seed: 7 },
    ],
    ['/video --duration=10 猫', { type: 'video', prompt: '猫', duration: 10 }],
    ['/video -d=5 猫', { type: 'video', prompt: '猫', duration: 5 }],
    ['/video —model pro 猫', { type: 'video', prompt: '猫', model: 'pro' }],
    ['/video ——model PRO 猫', { type: 'video', prompt: '猫', model: 'pro' }],
    ['/video －－ratio ９：１６ 猫', { type: 'video', prompt: '猫', ratio: '9:16' }],
    ['/video 10s 猫', { type: 'video', prompt: '猫', duration: 10 }],
    ['/video 5s 猫', { type: 'video', prompt: '猫', duration: 5 }],
    ['/video 10秒 猫', { type: 'video', prompt: '猫', duration: 10 }],
    ['/video １０秒 猫', { type: 'video', prompt: '猫', duration: 10 }],
    ['/video 9:16 猫', { type: 'video', prompt: '猫', ratio: '9:16' }],
    ['/video 9：16 猫', { type: 'video', prompt: '猫', ratio: '9:16' }],
    ['/video ９：１６ 猫', { type: 'video', prompt: '猫', ratio: '9:16' }],
    ['/video 1080p 猫', { type: 'video', prompt: '猫', model: '1080p' }],
    ['/video 720P 10s 16:9 猫', { type: 'video', prompt: '猫', model: '720p', duration: 10, ratio: '16:9' }],
    ['/video　--ratio　4:3　猫　在跳舞', { type: 'video', prompt: '猫　在跳舞', ratio: '4:3' }],
    ['/video -s -1 猫', { type: 'video', prompt: '猫', seed: -1 }],
    // Seeds are capped at 2^31−1 (what Jimeng takes; −1 asks for a random one).
    ['/video --seed 2147483647 猫', { type: 'video', prompt: '猫', seed: 2147483647 }],
    ['/video --seed ４２ 猫', { type: 'video', prompt: '猫', seed: 42 }],
    // Trailing long options (Midjourney habit) are taken too.
    ['/video 橘猫打哈欠 --ar 9:16', { type: 'video', prompt: '橘猫打哈欠', ratio: '9:16' }],
    ['/video 橘猫 --duration 10 打哈欠', { type: 'video', prompt: '橘猫 打哈欠', duration: 10 }],
    // `--` ends the options.
    ['/video -- --ratio 是一个词', { type: 'video', prompt: '--ratio 是一个词' }],
    ['/video "橘猫打哈欠"', { type: 'video', prompt: '橘猫打哈欠' }],
    ['/video “橘猫打哈欠”', { type: 'video', prompt: '橘猫打哈欠' }],
  ])('%s', (text, expected) => {
    expect(inGroup(text)).toEqual(expected);
  });

  it('keeps words of the prompt that only look like options', () => {
    expect(inGroup('/video 12:30 的时钟')).toEqual({ type: 'video', prompt: '12:30 的时钟' });
    expect(inGroup('/video 80s 复古迪斯科')).toEqual({ type: 'video', prompt: '80s 复古迪斯科' });
    expect(inGroup('/video 10 只猫在跳舞')).toEqual({ type: 'video', prompt: '10 只猫在跳舞' });
    expect(inGroup('/video pro 滑板选手')).toEqual({ type: 'video', prompt: 'pro 滑板选手' });
    expect(inGroup('/video 猫 9:16 狗')).toEqual({ type: 'video', prompt: '猫 9:16 狗' });
    expect(inGroup('/video 猫 10s 狗')).toEqual({ type: 'video', prompt: '猫 10s 狗' });
    expect(inGroup('/video 猫 -s 狗')).toEqual({ type: 'video', prompt: '猫 -s 狗' });
    expect(inGroup('/video ——iPhone 发布会')).toEqual({ type: 'video', prompt: '——iPhone 发布会' });
    expect(inGroup('/video 他说——好吧')).toEqual({ type: 'video', prompt: '他说——好吧' });
    expect(inGroup('/video -_- 表情')).toEqual({ type: 'video', prompt: '-_- 表情' });
    expect(inGroup('/videos 猫')).toEqual({ type: 'ignore' });
  });

  it('keeps line breaks inside the prompt and trims the ends', () => {
    expect(inGroup('/video -r 9:16\n  第一幕：猫醒来\n第二幕：猫打哈欠  ')).toEqual({
      type: 'video',
      prompt: '第一幕：猫醒来\n第二幕：猫打哈欠',
      ratio: '9:16',
    });
  });

  it('turns mentions of other users into @name and drops mentions of the bot', () => {
    expect(inGroup('@_user_1 /video @_user_2 和 @_user_10 在海边散步 @_user_1')).toEqual({
      type: 'video',
      prompt: '@Alice 和 @小明 在海边散步',
    });
    // `@_user_1` must not eat the start of `@_user_10`.
    expect(parseCommand('/video @_user_10 跳舞', group([BOT, BOB]))).toEqual({
      type: 'video',
      prompt: '@小明 跳舞',
    });
  });

  it('requires a prompt and says how to write one', () => {
    for (const text of [
      '/video',
      '@_user_1 /video',
      '/video   ',
      '/video --ratio 9:16',
      '/video 10s 9:16',
      '/video ""',
    ]) {
      const msg = expectError(inGroup(text), 'EMPTY_PROMPT');
      expect(msg).toContain('/video 橘猫打哈欠');
    }
  });

  it('rejects prompts over 800 characters, counted in characters not UTF-16 units', () => {
    expectError(inGroup(`/video ${'猫'.repeat(MAX_PROMPT_CHARS + 1)}`), 'PROMPT_TOO_LONG');
    expect(inGroup(`/video ${'猫'.repeat(MAX_PROMPT_CHARS)}`)).toMatchObject({ type: 'video' });
    expect(inGroup(`/video ${'😺'.repeat(MAX_PROMPT_CHARS)}`)).toMatchObject({ type: 'video' });
    const msg = expectError(inGroup(`/video ${'a'.repeat(2000)}`), 'PROMPT_TOO_LONG');
    expect(msg).toContain('800');
  });

  it('explains bad option values with the right form', () => {
    expect(expectError(inGroup('/video --duration 7 猫'), 'BAD_DURATION')).toMatch(/5 或 10/);
    expect(expectError(inGroup('/video -d 0 猫'), 'BAD_DURATION')).toContain('-d 10');
    expectError(inGroup('/video 7秒 猫'), 'BAD_DURATION');
    expect(expectError(inGroup('/video --ratio 5:4 猫'), 'BAD_RATIO')).toContain('9:16');
    expectError(inGroup('/video 5:4 猫'), 'BAD_RATIO');
    expectError(inGroup('/video 16:10 猫'), 'BAD_RATIO');
    expect(expectError(inGroup('/video --model 4k 猫'), 'BAD_MODEL')).toContain('1080p');
    expectError(inGroup('/video 480p 猫'), 'BAD_MODEL');
    expectError(inGroup('/video 4K 猫'), 'BAD_MODEL');
    expectError(inGroup('/video --seed -2 猫'), 'BAD_SEED');
    expectError(inGroup('/video --seed 4294967296 猫'), 'BAD_SEED');
    expectError(inGroup('/video --seed 2147483648 猫'), 'BAD_SEED');
    expectError(inGroup('/video --seed 1.5 猫'), 'BAD_SEED');
    expectError(inGroup('/video --seed abc 猫'), 'BAD_SEED');
    expect(expectError(inGroup('/video 猫 --ratio'), 'MISSING_VALUE')).toContain('--ratio 9:16');
  });

  it('names an unknown option and lists the valid ones', () => {
    const msg = expectError(inGroup('/video --foo 1 猫'), 'UNKNOWN_OPTION');
    expect(msg).toContain('--foo');
    for (const o of ['--model', '--duration', '--ratio', '--seed']) expect(msg).toContain(o);
    expect(expectError(inGroup('/video -x 猫'), 'UNKNOWN_OPTION')).toContain('-x');
    expect(expectError(inGroup('/video 猫 --style raw'), 'UNKNOWN_OPTION')).toContain('--style');
  });

  it('accepts every documented ratio', () => {
    for (const r of VIDEO_RATIOS)
      expect(inGroup(`/video -r ${r} 猫`)).toEqual({ type: 'video', prompt: '猫', ratio: r });
  });
});

describe('parseCommand: who is talking to the bot', () => {
  it('ignores group chatter and answers a bare mention with short help', () => {
    expect(inGroup('今天吃什么')).toEqual({ type: 'ignore' });
    expect(inGroup('@_user_2 你好')).toEqual({ type: 'ignore' });
    expect(inGroup('')).toEqual({ type: 'ignore' });
    expect(inGroup('@_user_1')).toEqual({ type: 'mention_only' });
    expect(inGroup('@_user_1   ')).toEqual({ type: 'mention_only' });
    expect(inGroup('@_user_1 你好呀')).toEqual({ type: 'mention_only' });
    expect(inGroup('你好 @_user_1')).toEqual({ type: 'mention_only' });
  });

  it('handles commands in a group with or without a mention', () => {
    expect(inGroup('/help')).toEqual({ type: 'help' });
    expect(inGroup('@_user_1 /help')).toEqual({ type: 'help' });
    expect(inGroup('@_user_1/help')).toEqual({ type: 'help' });
  });

  it('in a private chat anything that is not a command gets the short help', () => {
    expect(inP2p('你好')).toEqual({ type: 'mention_only' });
    expect(inP2p('')).toEqual({ type: 'mention_only' });
    expect(inP2p('/video 橘猫')).toEqual({ type: 'video', prompt: '橘猫' });
  });

  it('unknown slash commands: error in p2p or when the bot is mentioned, silence otherwise', () => {
    expect(expectError(inP2p('/foo'), 'UNKNOWN_COMMAND')).toContain('/help');
    expect(inGroup('/foo')).toEqual({ type: 'ignore' });
    expect(expectError(inGroup('@_user_1 /foo'), 'UNKNOWN_COMMAND')).toContain('/foo');
    expect(expectError(inGroup('@_user_1 /vidoe 猫'), 'UNKNOWN_COMMAND')).toContain('/video');
  });

  it('a slip on one of our commands gets a hint in a group even without a mention; other bots’ commands do not', () => {
    for (const typo of ['/vidoe 猫', '/vedio 猫', '/vido 猫', '/viedo 猫', '/qouta', '/hlep', '/jbos'])
      expect(inGroup(typo), typo).toMatchObject({ type: 'error', code: 'UNKNOWN_COMMAND' });
    expect(inGroup('/vidoe 猫')).toMatchObject({ params: { command: '/vidoe', suggestion: '/video' } });
    expect(expectError(inGroup('/vedio 猫'), 'UNKNOWN_COMMAND')).toContain('你是不是想用 /video？');
    for (const other of ['/quote 今天的名言', '/vote 午饭', '/videos 猫', '/poll', '/weather 北京', '/canel'])
      expect(inGroup(other), other).toEqual({ type: 'ignore' });
  });

  it('when the bot open_id is unknown, any leading mention counts as the bot', () => {
    const ctx = group([BOT, ALICE], null);
    expect(parseCommand('@_user_2 /video 橘猫', ctx)).toEqual({ type: 'video', prompt: '橘猫' });
    expect(parseCommand('@_user_2', ctx)).toEqual({ type: 'mention_only' });
    expect(parseCommand('你好', ctx)).toEqual({ type: 'ignore' });
    // only one leading mention is stripped; the next one is part of the prompt
    expect(parseCommand('@_user_1 /video @_user_2 跳舞', ctx)).toEqual({
      type: 'video',
      prompt: '@Alice 跳舞',
    });
  });

  it('a leading mention of someone else is not a command for us', () => {
    expect(inGroup('@_user_2 /video 橘猫')).toEqual({ type: 'ignore' });
  });

  it('errors are codes with parameters; each locale has its words for them', () => {
    const r = parseCommand('/video', p2p);
    expect(r).toEqual({ type: 'error', code: 'EMPTY_PROMPT', params: {} });
    if (r.type === 'error') {
      expect(TEXTS.en.parseError(r)).toMatch(/describe/);
      expect(TEXTS.zh.parseError(r)).toMatch(/请在命令后面写上/);
    }
  });
});

describe('parseCommand: other commands', () => {
  it.each([
    ['/help', { type: 'help' }],
    ['/帮助', { type: 'help' }],
    ['/HELP me', { type: 'help' }],
    ['/models', { type: 'models' }],
    ['/模型', { type: 'models' }],
    ['/quota', { type: 'quota' }],
    ['/额度', { type: 'quota' }],
    ['/jobs', { type: 'jobs' }],
    ['/任务', { type: 'jobs' }],
    ['/cancel job_123', { type: 'cancel', jobId: 'job_123' }],
    ['/取消 #abc-1', { type: 'cancel', jobId: 'abc-1' }],
    ['/quota set @_user_2 20', { type: 'quota_set', userOpenId: 'ou_alice', perDay: 20 }],
    ['/quota set @_user_10 0', { type: 'quota_set', userOpenId: 'ou_bob', perDay: 0 }],
    ['/quota SET ou_abc 10000', { type: 'quota_set', userOpenId: 'ou_abc', perDay: 10000 }],
    ['/quota add @_user_2 5', { type: 'quota_add', userOpenId: 'ou_alice', n: 5 }],
    ['/quota add @_user_2 ５', { type: 'quota_add', userOpenId: 'ou_alice', n: 5 }],
    ['/quota chat 100', { type: 'quota_chat', n: 100 }],
    ['/usage', { type: 'usage', range: 'today' }],
    ['/usage today', { type: 'usage', range: 'today' }],
    ['/usage 今天', { type: 'usage', range: 'today' }],
    ['/usage 7d', { type: 'usage', range: '7d' }],
    ['/usage 7天', { type: 'usage', range: '7d' }],
    ['/pause', { type: 'pause' }],
    ['/pause 账户充值中，稍后恢复', { type: 'pause', reason: '账户充值中，稍后恢复' }],
    ['/pause 找 @_user_2', { type: 'pause', reason: '找 @Alice' }],
    ['/resume', { type: 'resume' }],
    ['/恢复', { type: 'resume' }],
  ])('%s', (text, expected) => {
    expect(inGroup(`@_user_1 ${text}`)).toEqual(expected);
  });

  it('explains bad arguments', () => {
    expect(expectError(inGroup('/cancel'), 'MISSING_JOB_ID')).toContain('/cancel');
    expectError(inGroup('/cancel 任务'), 'BAD_JOB_ID');
    expectError(inGroup('/quota reset'), 'BAD_QUOTA_ARGS');
    expect(expectError(inGroup('/quota set 张三 20'), 'BAD_USER')).toContain('/quota set @');
    expectError(inGroup('/quota set'), 'BAD_USER');
    expectError(inGroup('/quota set @_user_9 20'), 'BAD_USER');
    expectError(inGroup('/quota set @_user_2'), 'BAD_NUMBER');
    expectError(inGroup('/quota set @_user_2 -1'), 'BAD_NUMBER');
    expectError(inGroup('/quota set @_user_2 10001'), 'BAD_NUMBER');
    expectError(inGroup('/quota set @_user_2 2.5'), 'BAD_NUMBER');
    expectError(inGroup('/quota add @_user_2 0'), 'BAD_NUMBER');
    expectError(inGroup('/quota chat lots'), 'BAD_NUMBER');
    expect(expectError(inGroup('/usage 30d'), 'BAD_RANGE')).toContain('7d');
  });

  it('caps the pause reason', () => {
    const r = inGroup(`/pause ${'维'.repeat(1000)}`);
    expect(r.type).toBe('pause');
    if (r.type === 'pause') expect([...(r.reason ?? '')].length).toBeLessThanOrEqual(200);
  });
});

describe('tokenize', () => {
  it('splits on any whitespace, including U+3000, and keeps positions', () => {
    const text = ' a\u3000bb\n\tc ';
    const tokens = tokenize(text);
    expect(tokens.map((x) => x.text)).toEqual(['a', 'bb', 'c']);
    for (const tok of tokens) expect(text.slice(tok.start, tok.end)).toBe(tok.text);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

const CJK = /[\u3400-\u9fff]/;

/** Checks the exact shape of a ParsedInput (no extra keys, right types and ranges). */
function assertValid(r: ParsedInput): void {
  const keys = Object.keys(r).sort();
  const only = (...k: string[]) => expect(keys).toEqual(['type', ...k].sort());
  switch (r.type) {
    case 'ignore':
    case 'help':
    case 'models':
    case 'mention_only':
    case 'quota':
    case 'jobs':
    case 'resume':
      only();
      return;
    case 'video': {
      for (const k of keys) expect(['type', 'prompt', 'model', 'duration', 'ratio', 'seed']).toContain(k);
      expect(r.prompt).toBe(r.prompt.trim());
      expect(r.prompt.length).toBeGreaterThan(0);
      expect([...r.prompt].length).toBeLessThanOrEqual(MAX_PROMPT_CHARS);
      if (r.model !== undefined) expect(['720p', '1080p', 'pro']).toContain(r.model);
      if (r.duration !== undefined) expect([5, 10]).toContain(r.duration);
      if (r.ratio !== undefined) expect(VIDEO_RATIOS).toContain(r.ratio);
      if (r.seed !== undefined) {
        expect(Number.isInteger(r.seed)).toBe(true);
        expect(r.seed).toBeGreaterThanOrEqual(-1);
        expect(r.seed).toBeLessThanOrEqual(2 ** 31 - 1);
      }
      return;
    }
    case 'cancel':
      only('jobId');
      expect(r.jobId).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
      return;
    case 'quota_set':
      only('userOpenId', 'perDay');
      expect(r.userOpenId.length).toBeGreaterThan(0);
      expect(Number.isInteger(r.perDay) && r.perDay >= 0 && r.perDay <= 10_000).toBe(true);
      return;
    case 'quota_add':
      only('userOpenId', 'n');
      expect(r.userOpenId.length).toBeGreaterThan(0);
      expect(Number.isInteger(r.n) && r.n >= 1 && r.n <= 10_000).toBe(true);
      return;
    case 'quota_chat':
      only('n');
      expect(Number.isInteger(r.n) && r.n >= 0 && r.n <= 10_000).toBe(true);
      return;
    case 'usage':
      only('range');
      expect(['today', '7d']).toContain(r.range);
      return;
    case 'pause':
      if (r.reason === undefined) only();
      else {
        only('reason');
        expect(r.reason.length).toBeGreaterThan(0);
      }
      return;
    case 'error': {
      only('code', 'params');
      expect(r.code).toMatch(/^[A-Z_]+$/);
      const zh = TEXTS.zh.parseError(r);
      expect(zh.trim().length).toBeGreaterThan(0);
      expect(zh).toMatch(CJK);
      expect(TEXTS.en.parseError(r).trim().length).toBeGreaterThan(0);
      return;
    }
    default: {
      const never: never = r;
      throw new Error(`unknown result ${JSON.stringify(never)}`);
    }
  }
}

/** Pieces that steer random text into the parser's interesting corners. */
const piece = fc.oneof(
  fc.constantFrom(
    '/video',
    '/视频',
    '／VIDEO',
    '/help',
    '/quota',
    '/cancel',
    '/usage',
    '/pause',
    '/resume',
    '/models',
    '/jobs',
    'set',
    'add',
    'chat',
    '--model',
    '-m',
    '—model',
    '——duration',
    '--duration=',
    '-d',
    '--ratio',
    '-r',
    '--seed',
    '-s',
    '--',
    '-',
    '—',
    '10s',
    '10秒',
    '9:16',
    '９：１６',
    '1080p',
    'pro',
    '720p',
    '7',
    '-1',
    '4294967296',
    '@_user_1',
    '@_user_2',
    '@_user_10',
    '@_all',
    '$&',
    '$1',
    '\\',
    '(',
    '"',
    '“',
    '\u3000',
    '\u200b',
    '\ufeff',
    '\u0000',
    '\r\n',
    '\u2028',
    '\ud800',
    '\udc00',
    '😺',
    '橘猫打哈欠',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
);

const messageText = fc.oneof(
  fc
    .array(fc.tuple(piece, fc.constantFrom(' ', '', '\u3000', '\n', '\t')), { maxLength: 16 })
    .map((xs) => xs.map(([a, b]) => a + b).join('')),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);

const weirdKey = fc.oneof(
  fc.constantFrom('@_user_1', '@_user_2', '@_user_10', '@_all', '', '@', '(', '$&', '.*', '@_user_1(', '\\'),
  fc.string({ maxLength: 10 }),
);
const mention = fc.record({
  key: weirdKey,
  openId: fc.oneof(fc.constantFrom('ou_bot', 'ou_alice', ''), fc.string({ maxLength: 10 })),
  name: fc.oneof(fc.constantFrom('Alice', '', '@_user_2', '$&', '   '), fc.string({ maxLength: 10 })),
});
const context: fc.Arbitrary<ParseContext> = fc.record(
  {
    mentions: fc.array(mention, { maxLength: 5 }),
    botOpenId: fc.constantFrom('ou_bot', '', 'ou_other'),
    chatType: fc.constantFrom('p2p', 'group', 'topic_group', ''),
  },
  { requiredKeys: ['mentions', 'chatType'] },
);

describe('parseCommand: properties', () => {
  it('never throws and always returns a valid ParsedInput (errors say what is wrong, in Chinese by default)', () => {
    fc.assert(
      fc.property(messageText, context, (text, ctx) => {
        assertValid(parseCommand(text, ctx));
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on huge inputs and answers quickly enough to be used inline', () => {
    const huge = [
      `/video ${'猫'.repeat(200_000)}`,
      `/video ${'-m pro '.repeat(50_000)}猫`,
      `/video ${'@_user_2 '.repeat(50_000)}`,
      `@_user_1 `.repeat(50_000),
      `/quota set ${'@_user_2'.repeat(50_000)} 1`,
      `/${'v'.repeat(500_000)}`,
      '\u0000'.repeat(500_000),
      '\u3000'.repeat(500_000),
      `/video ${'9:16 '.repeat(50_000)}`,
    ];
    for (const text of huge) {
      for (const chatType of ['p2p', 'group']) {
        const r = parseCommand(text, { mentions: [BOT, ALICE], botOpenId: 'ou_bot', chatType });
        assertValid(r);
      }
    }
    expect(parseCommand(`/video ${'猫'.repeat(200_000)}`, p2p)).toMatchObject({ code: 'PROMPT_TOO_LONG' });
  });

  it('survives malformed contexts from untyped callers', () => {
    const bad = [
      { mentions: null, chatType: 'group' },
      { mentions: [null, { key: 1 }], chatType: 'p2p' },
      { mentions: [{ key: '@_user_1', openId: null, name: null }], chatType: 'group', botOpenId: null },
      {},
    ] as unknown as ParseContext[];
    for (const ctx of bad) {
      for (const text of ['@_user_1 /video 猫', '/quota set @_user_1 3', '@_user_1', 'hi', '/foo']) {
        assertValid(parseCommand(text, ctx));
      }
    }
    assertValid(parseCommand(undefined as unknown as string, p2p));
  });

  it('well-formed /video commands round-trip, whatever the option order and spelling', () => {
    const promptArb = fc
      .array(fc.constantFrom('橘猫', '打哈欠', '海边', '日落', 'a', 'cat', '，', '延时', '🌅'), {
        minLength: 1,
        maxLength: 8,
      })
      .map((ws) => ws.join(' '));
    const optSpell = (long: string, short: string) =>
      fc.constantFrom(`--${long} `, `-${short} `, `—${long} `, `——${long} `, `--${long}=`, `－－${long} `);
    const toFullWidth = (s: string) =>
      s.replace(/[0-9:]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom('720p', '1080p', 'pro'), { nil: undefined }),
        fc.option(fc.constantFrom(5, 10), { nil: undefined }),
        fc.option(fc.constantFrom(...VIDEO_RATIOS), { nil: undefined }),
        fc.option(fc.integer({ min: -1, max: 2 ** 31 - 1 }), { nil: undefined }),
        promptArb,
        fc.constantFrom('/video', '/Video', '／video', '/视频'),
        fc.constantFrom(' ', '\u3000', '  '),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('p2p', 'group'),
        fc.integer({ min: 0, max: 23 }),
        optSpell('model', 'm'),
        optSpell('duration', 'd'),
        optSpell('ratio', 'r'),
        optSpell('seed', 's'),
        (
          model,
          duration,
          ratio,
          seed,
          prompt,
          cmd,
          sep,
          fullWidth,
          mentionBot,
          chatType,
          order,
          mo,
          du,
          ra,
          se,
        ) => {
          const width = (s: string) => (fullWidth ? toFullWidth(s) : s);
          const opts: string[] = [];
          if (model) opts.push(`${mo}${model}`);
          if (duration) opts.push(`${du}${width(String(duration))}`);
          if (ratio) opts.push(`${ra}${width(ratio)}`);
          if (seed !== undefined) opts.push(`${se}${seed}`);
          // rotate by `order` to vary the option order
          const k = opts.length ? order % opts.length : 0;
          const rotated = [...opts.slice(k), ...opts.slice(0, k)];
          const text = `${mentionBot ? '@_user_1 ' : ''}${cmd}${sep}${rotated.join(sep)}${sep}${prompt}`;
          const r = parseCommand(text, { mentions: [BOT], botOpenId: 'ou_bot', chatType });
          const expected: Record<string, unknown> = { type: 'video', prompt };
          if (model) expected.model = model;
          if (duration) expected.duration = duration;
          if (ratio) expected.ratio = ratio;
          if (seed !== undefined) expected.seed = seed;
          expect(r).toEqual(expected);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('group messages that neither start with a slash nor mention anyone are ignored', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (text) => {
        fc.pre(!/^[\s\u200b\ufeff]*[/／]/u.test(text) && !text.includes('@_user_'));
        expect(parseCommand(text, group())).toEqual({ type: 'ignore' });
      }),
      { numRuns: 1000 },
    );
  });

  it('a /video prompt never contains the bot placeholder, and other placeholders become @name', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('@_user_1', '@_user_2', '@_user_10', '猫', '跳舞', 'cat'), {
          minLength: 1,
          maxLength: 10,
        }),
        (words) => {
          const r = inGroup(`/video ${words.join(' ')}`);
          if (r.type === 'video') {
            expect(r.prompt).not.toMatch(/@_user_\d/);
            expect(r.prompt).not.toContain('即梦助手');
          } else {
            expect(r).toMatchObject({ type: 'error', code: 'EMPTY_PROMPT' });
          }
        },
      ),
    );
  });
});
