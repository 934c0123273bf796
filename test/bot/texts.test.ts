import { describe, expect, it } from 'vitest';
import { jobCard, viewOf } from '../../src/bot/cards/job-card.js';
import type { ParseErrorCode, ParseErrorParams } from '../../src/bot/parse/parse-error.js';
import { parseCommand } from '../../src/bot/router.js';
import { type ModelRow, TEXTS, textsFor } from '../../src/bot/texts/index.js';
import { defaultCatalog } from '../../src/jimeng/model-catalog.js';
import type { Refusal } from '../../src/store/port.js';
import type { Job, JobState } from '../../src/store/records.js';

const ROWS: ModelRow[] = [
  { mode: 'text', tier: '720p', reqKey: 'jimeng_t2v_v30', resolution: '720P', price5: 3, price10: 6 },
  { mode: 'text', tier: 'pro', reqKey: 'jimeng_ti2v_v30_pro', resolution: '1080P', price5: 5, price10: 10 },
  {
    mode: 'first_frame',
    tier: '1080p',
    reqKey: 'jimeng_i2v_first_v30_1080',
    resolution: '1080P',
    price5: 4,
    price10: 8,
  },
  {
    mode: 'first_last_frame',
    tier: '720p',
    reqKey: 'jimeng_i2v_first_tail_v30',
    resolution: '720P',
    price5: 3,
    price10: 6,
  },
  {
    mode: 'camera',
    tier: '720p',
    reqKey: 'jimeng_i2v_recamera_v30',
    resolution: '720P',
    price5: 2.25,
    price10: 4.5,
  },
];
const HELP = {
  showAdmin: true,
  defaults: { model: '720p' as const, duration: 5, ratio: '16:9' },
  prices: { '720p': 0.6, '1080p': 0.8, pro: 1 },
};
const CARD_OPTS = { catalog: defaultCatalog };
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

function shape(o: object): string[] {
  return Object.entries(o)
    .flatMap(([k, v]) => (typeof v === 'object' && v ? shape(v).map((x) => `${k}.${x}`) : [k]))
    .sort();
}

const PARSE_ERRORS: { [C in ParseErrorCode]: ParseErrorParams[C] } = {
  EMPTY_PROMPT: {},
  PROMPT_TOO_LONG: { length: 900, max: 800 },
  UNKNOWN_OPTION: { option: '--modle', valid: ['--model/-m'], suggestion: '--model' },
  MISSING_VALUE: { option: '--model' },
  BAD_MODEL: { value: '4k', allowed: ['720p'] },
  BAD_DURATION: { value: '7', allowed: [5, 10] },
  BAD_RATIO: { value: '5:4', allowed: ['16:9'] },
  BAD_SEED: { value: 'x', max: 2147483647 },
  BAD_CAMERA: { value: 'spin' },
  BAD_STRENGTH: { value: 'max' },
  MISSING_JOB_ID: {},
  BAD_JOB_ID: { value: '$$' },
  BAD_QUOTA_ARGS: { sub: 'foo' },
  BAD_USER: { value: 'bob', sub: 'set' },
  BAD_NUMBER: { value: 'x', min: 0, max: 10000, sub: 'add' },
  BAD_RANGE: { value: '3d' },
  UNKNOWN_COMMAND: { command: '/vidoe', suggestion: '/video' },
};
const REFUSALS: Refusal[] = [
  { code: 'PAUSED', reason: 'maintenance' },
  { code: 'USER_DAILY', limit: 5, used: 5 },
  { code: 'CHAT_DAILY', limit: 20, used: 20 },
  { code: 'BUDGET', budget: 100, spent: 99, cost: 3 },
  { code: 'IN_FLIGHT', limit: 2 },
];
const JOB_ERRORS = [
  'CONTENT_RISK_INPUT_TEXT',
  'CONTENT_RISK_INPUT_IMAGE',
  'CONTENT_RISK_OUTPUT',
  'CONTENT_RISK_OUTPUT_TEXT',
  'RISK_SERVICE_ERROR',
  'INVALID_INPUT',
  'ACCESS_DENIED',
  'SIGNATURE',
  'AUTH',
  'BAD_REQUEST',
  'BAD_RESPONSE',
  'UNKNOWN',
  'QPS_LIMIT',
  'CONCURRENCY_LIMIT',
  'INTERNAL',
  'POLL_FAILED',
  'NETWORK',
  'TIMEOUT',
  'TASK_FAILED',
  'TASK_NOT_FOUND',
  'TASK_EXPIRED',
  'TASK_TIMEOUT',
  'SUBMIT_UNCERTAIN',
  'IMAGE_LOST',
  'VIDEO_EXPIRED',
  'DOWNLOAD_FAILED',
  'UNDELIVERABLE',
  'CANCELLED_RECALLED',
  'SOMETHING_NEW',
];
const INVALID = [
  'PROMPT_EMPTY',
  'PROMPT_TOO_LONG',
  'BAD_DURATION',
  'BAD_RATIO',
  'BAD_SEED',
  'BAD_MODEL',
  'IMAGE_REQUIRED',
  'IMAGE_NOT_ALLOWED',
  'IMAGE_COUNT',
  'IMAGE_FORMAT',
  'IMAGE_TOO_LARGE',
  'IMAGE_DIMENSIONS',
  'IMAGE_ASPECT',
  'IMAGE_RATIO_MISMATCH',
  'CAMERA_TEMPLATE',
  'CAMERA_NEEDS_IMAGE',
  'SOMETHING_NEW',
];

function job(state: JobState, over: Partial<Job> = {}): Job {
  return {
    id: 'J0008',
    sourceId: 'om_1',
    messageId: 'om_1',
    chatId: 'oc_1',
    chatType: 'group',
    userOpenId: 'ou_1',
    prompt: 'a cat yawning\nshot 2: it sleeps',
    tier: '720p',
    reqKey: 'jimeng_t2v_v30',
    duration: 5,
    ratio: '16:9',
    state,
    day: '2026-12-03',
    costYuan: 3,
    charge: state === 'failed' || state === 'cancelled' ? 'refunded' : 'reserved',
    polls: 0,
    busyRetries: 0,
    card: { version: 1, sent: 0 },
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

/** Every text an English user can see, rendered with English inputs. */
function everyEnglishText(): string[] {
  const t = TEXTS.en;
  const out = [
    t.help(HELP),
    t.mentionOnly({ chatType: 'group' }),
    t.mentionOnly({ chatType: 'p2p' }),
    t.models(ROWS),
    t.models([]),
  ];
  for (const [code, params] of Object.entries(PARSE_ERRORS))
    out.push(t.parseError({ type: 'error', code, params } as never));
  for (const r of REFUSALS) out.push(t.refusal(r));
  for (const c of INVALID)
    out.push(t.invalidRequest(c, { chars: 900, max: 800, index: 1, width: 100, height: 50, mb: 5 }));
  for (const c of JOB_ERRORS) out.push(t.jobError(c));
  out.push(t.imageUnreadable, t.internalError('E1A2B3C'), t.linkOnly('https://v/1.mp4'));
  out.push(
    t.quota({
      used: 1,
      limit: 5,
      inFlight: 1,
      maxInFlight: 2,
      spent: 3,
      budget: 100,
      chatUsed: 1,
      chatLimit: 20,
    }),
  );
  out.push(
    t.jobsEmpty,
    t.jobsHeader,
    t.cancelNotYours,
    t.notAdmin,
    t.resumed,
    t.notPaused,
    t.cancelled('J0008'),
  );
  for (const s of ['queued', 'submitting', 'running', 'delivered', 'failed', 'cancelled'] as const) {
    out.push(t.state(s), t.cancelTooLate('J0008', s));
    out.push(t.jobLine(job(s, s === 'failed' ? { error: { code: 'TASK_FAILED' } } : {})));
    out.push(
      JSON.stringify(
        jobCard(
          job(s, { error: { code: 'CONTENT_RISK_INPUT_TEXT' }, videoUrl: 'https://v/1.mp4', resultSeed: 7 }),
          viewOf(job(s), 2),
          t,
          CARD_OPTS,
        ),
      ),
    );
  }
  out.push(
    JSON.stringify(
      jobCard(job('queued', { busyRetries: 1 }), viewOf(job('queued', { busyRetries: 1 }), 3), t, CARD_OPTS),
    ),
  );
  out.push(
    JSON.stringify(
      jobCard(
        job('running', { taskStatus: 'in_queue' }),
        viewOf(job('running', { taskStatus: 'in_queue' }), 0),
        t,
        CARD_OPTS,
      ),
    ),
  );
  out.push(
    t.cancelNotFound('J0009'),
    t.quotaSet('@bob', 3),
    t.quotaAdd('@bob', 2, 7),
    t.quotaChat(0),
    t.quotaChat(20),
    t.paused('inventory'),
  );
  const usage = t.usage({
    range: '7d',
    total: 12,
    count: 4,
    budget: 100,
    paused: { reason: 'inventory' },
    byUser: [{ label: '<at id=ou_1></at>', n: 2, seconds: 10, yuan: 6 }],
    byChat: [{ label: 'Design team', n: 2, seconds: 10, yuan: 6 }],
    byModel: [],
    admin: (['quota_set', 'quota_add', 'quota_chat', 'pause', 'resume'] as const).map((action) => ({
      by: 'ou_a',
      action,
      target: 'ou_b',
      n: 3,
      reason: 'x',
      at: 0,
    })),
    time: () => '2026-12-03 10:00',
    user: (id) => `<at id=${id}></at>`,
  });
  out.push(usage.title, ...usage.sections);
  return out;
}

describe('texts', () => {
  it('zh and en have the same keys', () => {
    expect(shape(TEXTS.en)).toEqual(shape(TEXTS.zh));
    expect(textsFor(undefined)).toBe(TEXTS.zh);
    expect(textsFor('en')).toBe(TEXTS.en);
  });

  it('BOT_LOCALE=en is English everywhere: every reply, card, refusal and error', () => {
    const texts = everyEnglishText();
    expect(texts.length).toBeGreaterThan(120);
    for (const s of texts) expect(s, s).not.toMatch(CJK);
  });

  it('help lists every command, the examples, the options and the prices', () => {
    const help = TEXTS.zh.help(HELP);
    for (const s of [
      '/video 橘猫打哈欠',
      '/video --ratio 9:16 -d 10 海边日落延时',
      '/video 让它动起来',
      '--model',
      '--duration',
      '--ratio',
      '--seed',
      '/models',
      '/quota',
      '/jobs',
      '/cancel',
      '/help',
      '/quota set',
      '/quota add',
      '/quota chat',
      '/usage',
      '/pause',
      '/resume',
      '0.6 元/秒',
      '0.8 元/秒',
      '1.0 元/秒',
    ])
      expect(help).toContain(s);
    expect(TEXTS.zh.help({ ...HELP, showAdmin: false })).not.toContain('/pause');
    expect(
      TEXTS.zh.help({
        ...HELP,
        prices: { ...HELP.prices, pro: 1.2 },
        defaults: { ...HELP.defaults, model: '1080p' },
      }),
    ).toMatch(/默认 1080p[\s\S]*pro 1\.2 元\/秒/);
  });

  it('every example in the help parses, in both locales', () => {
    for (const t of [TEXTS.zh, TEXTS.en]) {
      const examples = t
        .help(HELP)
        .split('\n')
        .filter((l) => l.startsWith('/video '));
      expect(examples.length).toBeGreaterThanOrEqual(2);
      for (const e of examples) expect(parseCommand(e, { mentions: [], chatType: 'p2p' }).type).toBe('video');
    }
  });

  it('the model list: one group per mode with how to ask for it, one line per tier with the price for 5 s and 10 s', () => {
    const text = TEXTS.zh.models(ROWS);
    expect(text.split('\n')).toEqual([
      '🎞 可用模型（价格为约数：5 秒 / 10 秒）',
      '',
      '【文生视频】/video 橘猫打哈欠',
      '• 720p　720P　¥3.0 / ¥6.0　jimeng_t2v_v30',
      '• pro　1080P　¥5.0 / ¥10.0　jimeng_ti2v_v30_pro',
      '',
      '【图生视频（首帧）】回复一张图片：/video 让它动起来',
      '• 1080p　1080P　¥4.0 / ¥8.0　jimeng_i2v_first_v30_1080',
      '',
      '【首尾帧视频】回复一条带两张图片的消息（或一条消息里放两张图片加命令）：/video 从白天到黑夜',
      '• 720p　720P　¥3.0 / ¥6.0　jimeng_i2v_first_tail_v30',
      '',
      '【运镜】回复一张图片：/video --camera 希区柯克推进 人物特写',
      '• 720p　720P　¥2.25 / ¥4.5　jimeng_i2v_recamera_v30',
      '',
      '用 -m 选清晰度、-d 10 选 10 秒，例如：/video -m 1080p -d 10 海边日落延时',
    ]);
    expect(TEXTS.zh.models([])).toMatch(/没有/);
    expect(TEXTS.en.models(ROWS)).toContain(
      'Camera motion: reply to an image: /video --camera hitchcock_dolly_in',
    );
    expect(TEXTS.en.models(ROWS)).toContain('• 720p  720P  ¥3.0 / ¥6.0  jimeng_t2v_v30');
  });

  it('help and /models: every /video example in them parses, camera templates included', () => {
    for (const t of [TEXTS.zh, TEXTS.en]) {
      const examples = [t.help(HELP), t.models(ROWS)]
        .join('\n')
        .split('\n')
        .flatMap((l) => [...l.matchAll(/\/video [^（(\n]+/g)].map((m) => m[0].trim()));
      expect(examples.length).toBeGreaterThanOrEqual(6);
      for (const e of examples) {
        const cmd = parseCommand(e, { mentions: [], chatType: 'p2p' });
        expect(cmd.type, e).toBe('video');
      }
    }
    expect(TEXTS.zh.help(HELP)).toContain('希区柯克推进、希区柯克拉远');
    expect(TEXTS.zh.help(HELP)).toContain('首尾帧');
    expect(TEXTS.en.help(HELP)).toContain('hitchcock_dolly_in, hitchcock_dolly_out');
  });

  it('mention-only help is short and shows the example', () => {
    const zh = TEXTS.zh.mentionOnly({ chatType: 'group' });
    expect(zh).toContain('/video 橘猫打哈欠');
    expect(zh).toContain('@我');
    expect(TEXTS.zh.mentionOnly({ chatType: 'p2p' })).not.toContain('@我');
    expect(zh.split('\n').length).toBeLessThanOrEqual(5);
  });

  it('no doubled words, and examples use real job ids', () => {
    for (const s of ['queued', 'running', 'delivered', 'failed', 'cancelled'] as const)
      expect(TEXTS.zh.cancelTooLate('J0001', s)).not.toMatch(/已已/);
    expect(TEXTS.zh.cancelTooLate('J0001', 'delivered')).toBe(
      '任务 J0001 已完成，不能再取消（只能取消排队中的任务）。',
    );
    for (const t of [TEXTS.zh, TEXTS.en]) {
      const usage = t.parseError({ type: 'error', code: 'MISSING_JOB_ID', params: {} });
      expect(usage).toMatch(/J0008/);
      expect(usage).not.toMatch(/job_123/);
    }
  });

  it('a multi-line prompt stays one line per shot on the card, and one line in /jobs', () => {
    const card = JSON.stringify(jobCard(job('queued'), viewOf(job('queued'), 1), TEXTS.zh, CARD_OPTS));
    expect(card).toContain('a cat yawning\\nshot 2: it sleeps');
    expect(TEXTS.zh.jobLine(job('queued'))).not.toContain('\n');
  });
});
