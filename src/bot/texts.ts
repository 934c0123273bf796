/**
 * User-facing texts of the command layer: help, model list, parser errors. Simplified Chinese by default;
 * `en` has exactly the same keys (the `Texts` type makes a missing key a compile error).
 */
import type { ModelTier } from '../jimeng/models.js';
import type { ParseErrorCode } from './commands.js';

export type Locale = 'zh' | 'en';

type QuotaSub = 'set' | 'add' | 'chat';

/** What each parser error message is built from. */
export interface ErrorParams {
  EMPTY_PROMPT: Record<string, never>;
  PROMPT_TOO_LONG: { length: number; max: number };
  UNKNOWN_OPTION: { option: string; valid: readonly string[] };
  MISSING_VALUE: { option: string };
  BAD_MODEL: { value: string; allowed: readonly string[] };
  BAD_DURATION: { value: string; allowed: readonly number[] };
  BAD_RATIO: { value: string; allowed: readonly string[] };
  BAD_SEED: { value: string };
  MISSING_JOB_ID: Record<string, never>;
  BAD_JOB_ID: { value: string };
  BAD_QUOTA_ARGS: { sub: string };
  BAD_USER: { value: string; sub: QuotaSub };
  BAD_NUMBER: { value: string; min: number; max: number; sub: QuotaSub };
  BAD_RANGE: { value: string };
  UNKNOWN_COMMAND: { command: string; suggestion?: string };
}

/** One row of `/models` (a subset of `ModelInfo` from src/jimeng/models.ts). */
export interface ModelListItem {
  tier: ModelTier;
  label: string;
  resolution: string;
  durations: readonly number[];
  pricePerSecond: number;
  kind: 't2v' | 'i2v' | 'both';
}

export interface HelpParams {
  /** Include the admin commands (default true). */
  showAdmin?: boolean;
  /** 元 per second of video; defaults 0.6 / 0.8 / 1.0. */
  prices?: Partial<Record<ModelTier, number>>;
  /** What `/video` uses when an option is left out; defaults 720p / 5 s / 16:9. */
  defaults?: { model?: ModelTier; duration?: number; ratio?: string };
}

export interface MentionOnlyParams {
  /** 'p2p' or 'group' (anything else counts as a group). */
  chatType?: string;
}

export interface Texts {
  help(p?: HelpParams): string;
  /** Short help for a bare @bot or non-command text in a private chat. */
  mentionOnly(p?: MentionOnlyParams): string;
  models(models: readonly ModelListItem[]): string;
  errors: { [K in ParseErrorCode]: (p: ErrorParams[K]) => string };
}

const DEFAULT_PRICES: Record<ModelTier, number> = { '720p': 0.6, '1080p': 0.8, pro: 1.0 };

/** 0.6 → "0.6", 1 → "1.0", 0.75 → "0.75". */
export function formatYuan(n: number): string {
  if (!Number.isFinite(n)) return '?';
  return Number.isInteger(n * 10) ? n.toFixed(1) : String(Math.round(n * 100) / 100);
}

function prices(p?: HelpParams): Record<ModelTier, number> {
  return { ...DEFAULT_PRICES, ...p?.prices } as Record<ModelTier, number>;
}

function defaults(p?: HelpParams) {
  return {
    model: p?.defaults?.model ?? '720p',
    duration: p?.defaults?.duration ?? 5,
    ratio: p?.defaults?.ratio ?? '16:9',
  };
}

const KIND_ZH: Record<ModelListItem['kind'], string> = {
  t2v: '文生视频',
  i2v: '图生视频（需回复图片）',
  both: '文生 / 图生视频',
};
const KIND_EN: Record<ModelListItem['kind'], string> = {
  t2v: 'text to video',
  i2v: 'image to video (reply to an image)',
  both: 'text or image to video',
};

const zh: Texts = {
  help(p) {
    const pr = prices(p);
    const d = defaults(p);
    const lines = [
      '🎬 即梦视频机器人 · 使用帮助',
      '',
      '【生成视频】',
      '/video 橘猫打哈欠',
      '/video --ratio 9:16 -d 10 海边日落延时',
      '回复一张图片并发送：/video 让它动起来（图生视频）',
      '',
      '【选项】写在描述前面，可省略',
      `-m, --model 720p | 1080p | pro　清晰度（默认 ${d.model}）`,
      `-d, --duration 5 | 10　时长/秒（默认 ${d.duration}），也可直接写 10s、10秒`,
      `-r, --ratio 16:9 | 9:16 | 4:3 | 3:4 | 1:1 | 21:9　画面比例（默认 ${d.ratio}），也可直接写 9:16`,
      '-s, --seed 数字　随机种子，-1 表示随机',
      '描述最多 800 字，写清主体、动作、场景和镜头效果更好。',
      '',
      `【价格】约 720p ${formatYuan(pr['720p'])} 元/秒 · 1080p ${formatYuan(pr['1080p'])} 元/秒 · pro ${formatYuan(pr.pro)} 元/秒`,
      `（5 秒 720p 约 ${formatYuan(pr['720p'] * 5)} 元）`,
      '',
      '【其他命令】',
      '/models　查看模型和价格',
      '/quota　查看我今天还能生成几个',
      '/jobs　查看我的任务',
      '/cancel 任务ID　取消排队中的任务',
      '/help　显示本帮助（/帮助 也可以）',
    ];
    if (p?.showAdmin ?? true) {
      lines.push(
        '',
        '【管理员】',
        '/quota set @成员 20　设置成员每日条数',
        '/quota add @成员 5　今天给成员加条数',
        '/quota chat 100　设置本群每日总条数（0 = 不限）',
        '/usage [today | 7d]　查看用量和花费',
        '/pause [原因]　暂停生成　·　/resume　恢复',
      );
    }
    return lines.join('\n');
  },

  mentionOnly(p) {
    const inGroup = (p?.chatType ?? 'group') !== 'p2p';
    return [
      '👋 我是即梦视频机器人，发一句描述我就帮你做成视频。',
      `${inGroup ? '@我 并发送' : '发送'}：/video 橘猫打哈欠`,
      '回复一张图片发送 /video 让它动起来，可以让图片动起来。',
      '更多用法发送 /help。',
    ].join('\n');
  },

  models(models) {
    if (models.length === 0) return '暂时没有可用的模型。';
    const rows = models.map(
      (m) =>
        `• ${m.tier}　${m.label}\n　${m.resolution} · ${KIND_ZH[m.kind]} · ${m.durations.join('/')} 秒 · 约 ${formatYuan(m.pricePerSecond)} 元/秒`,
    );
    return ['🎞 可用模型', ...rows, '', '用法：/video -m 1080p 海边日落延时（回复图片即为图生视频）'].join(
      '\n',
    );
  },

  errors: {
    EMPTY_PROMPT: () =>
      '请在命令后面写上想要的画面，例如：/video 橘猫打哈欠\n也可以加选项：/video --ratio 9:16 -d 10 海边日落延时',
    PROMPT_TOO_LONG: (p) => `描述太长了（${p.length} 字），最多 ${p.max} 字，请精简后再发。`,
    UNKNOWN_OPTION: (p) =>
      `不认识的选项 ${p.option}。可用选项：${p.valid.join('、')}\n例如：/video --ratio 9:16 -d 10 海边日落延时`,
    MISSING_VALUE: (p) =>
      `选项 ${p.option} 后面缺少取值，例如：/video ${p.option} ${exampleValue(p.option)} 橘猫打哈欠`,
    BAD_MODEL: (p) =>
      `没有「${p.value}」这个模型，可选：${p.allowed.join('、')}\n例如：/video --model 1080p 橘猫打哈欠（发送 /models 查看价格）`,
    BAD_DURATION: (p) =>
      `时长「${p.value}」不支持，只能是 ${p.allowed.join(' 或 ')} 秒\n例如：/video -d 10 橘猫打哈欠 或 /video 10s 橘猫打哈欠`,
    BAD_RATIO: (p) =>
      `画面比例「${p.value}」不支持，可选：${p.allowed.join('、')}\n例如：/video --ratio 9:16 橘猫打哈欠`,
    BAD_SEED: (p) =>
      `随机种子「${p.value}」不对，应为 -1 到 4294967295 之间的整数，例如：/video --seed 42 橘猫打哈欠`,
    MISSING_JOB_ID: () => '请写上要取消的任务 ID，例如：/cancel job_123（发送 /jobs 查看你的任务）',
    BAD_JOB_ID: (p) => `任务 ID「${p.value}」格式不对，发送 /jobs 查看你的任务 ID，然后：/cancel 任务ID`,
    BAD_QUOTA_ARGS: (p) =>
      `/quota 不支持「${p.sub}」。用法：/quota（查看额度）、/quota set @成员 20、/quota add @成员 5、/quota chat 100`,
    BAD_USER: (p) =>
      `${p.value ? `「${p.value}」不是群成员。` : ''}请 @ 要设置的成员，例如：/quota ${p.sub} @张三 ${p.sub === 'set' ? 20 : 5}`,
    BAD_NUMBER: (p) =>
      `${p.value ? `「${p.value}」不是有效的数量，` : '缺少数量，'}请写 ${p.min} 到 ${p.max} 之间的整数，例如：${quotaExample(p.sub, '@张三')}`,
    BAD_RANGE: (p) => `不支持的时间范围「${p.value}」，可选 today（今天）或 7d（最近 7 天），例如：/usage 7d`,
    UNKNOWN_COMMAND: (p) =>
      `没有 ${p.command} 这个命令${p.suggestion ? `，你是想用 ${p.suggestion} 吗？` : '。'}发送 /help 查看全部用法。`,
  },
};

const en: Texts = {
  help(p) {
    const pr = prices(p);
    const d = defaults(p);
    const lines = [
      '🎬 Jimeng video bot · help',
      '',
      'Make a video',
      '/video a ginger cat yawning',
      '/video --ratio 9:16 -d 10 timelapse of a sunset by the sea',
      'Reply to an image with: /video make it move (image to video)',
      '',
      'Options (before the description, all optional)',
      `-m, --model 720p | 1080p | pro  quality (default ${d.model})`,
      `-d, --duration 5 | 10  seconds (default ${d.duration}); "10s" works too`,
      `-r, --ratio 16:9 | 9:16 | 4:3 | 3:4 | 1:1 | 21:9  aspect ratio (default ${d.ratio}); "9:16" works too`,
      '-s, --seed N  random seed, -1 = random',
      'Up to 800 characters; describe the subject, action, scene and camera.',
      '',
      `Prices: about 720p ${formatYuan(pr['720p'])} · 1080p ${formatYuan(pr['1080p'])} · pro ${formatYuan(pr.pro)} yuan per second`,
      `(5 s at 720p ≈ ${formatYuan(pr['720p'] * 5)} yuan)`,
      '',
      'Other commands',
      '/models  models and prices',
      '/quota  how many videos you have left today',
      '/jobs  your jobs',
      '/cancel JOB_ID  cancel a queued job',
      '/help  this help',
    ];
    if (p?.showAdmin ?? true) {
      lines.push(
        '',
        'Admins',
        '/quota set @member 20  daily videos for a member',
        '/quota add @member 5  extra videos for today',
        '/quota chat 100  daily videos for this chat (0 = no limit)',
        '/usage [today | 7d]  usage and spend',
        '/pause [reason]  pause generation  ·  /resume  resume',
      );
    }
    return lines.join('\n');
  },

  mentionOnly(p) {
    const inGroup = (p?.chatType ?? 'group') !== 'p2p';
    return [
      '👋 I turn a sentence into a video.',
      `${inGroup ? '@mention me and send' : 'Send'}: /video a ginger cat yawning`,
      'Reply to an image with /video make it move to animate it.',
      'Send /help for more.',
    ].join('\n');
  },

  models(models) {
    if (models.length === 0) return 'No models are available right now.';
    const rows = models.map(
      (m) =>
        `• ${m.tier}  ${m.label}\n  ${m.resolution} · ${KIND_EN[m.kind]} · ${m.durations.join('/')} s · about ${formatYuan(m.pricePerSecond)} yuan/s`,
    );
    return [
      '🎞 Models',
      ...rows,
      '',
      'Usage: /video -m 1080p sunset timelapse (reply to an image for image to video)',
    ].join('\n');
  },

  errors: {
    EMPTY_PROMPT: () =>
      'Please describe the video after the command, e.g. /video a ginger cat yawning\nWith options: /video --ratio 9:16 -d 10 sunset timelapse',
    PROMPT_TOO_LONG: (p) =>
      `The description is too long (${p.length} characters, at most ${p.max}). Please shorten it.`,
    UNKNOWN_OPTION: (p) =>
      `Unknown option ${p.option}. Valid options: ${p.valid.join(', ')}\nE.g. /video --ratio 9:16 -d 10 sunset timelapse`,
    MISSING_VALUE: (p) =>
      `${p.option} needs a value, e.g. /video ${p.option} ${exampleValue(p.option)} a ginger cat yawning`,
    BAD_MODEL: (p) =>
      `There is no model "${p.value}". Choose ${p.allowed.join(', ')}\nE.g. /video --model 1080p a ginger cat yawning (/models shows prices)`,
    BAD_DURATION: (p) =>
      `Duration "${p.value}" is not supported: ${p.allowed.join(' or ')} seconds only\nE.g. /video -d 10 a ginger cat yawning`,
    BAD_RATIO: (p) =>
      `Aspect ratio "${p.value}" is not supported. Choose ${p.allowed.join(', ')}\nE.g. /video --ratio 9:16 a ginger cat yawning`,
    BAD_SEED: (p) =>
      `Seed "${p.value}" is invalid: use an integer from -1 to 4294967295, e.g. /video --seed 42 a cat`,
    MISSING_JOB_ID: () => 'Which job? E.g. /cancel job_123 (send /jobs to see yours)',
    BAD_JOB_ID: (p) => `"${p.value}" is not a job ID. Send /jobs to see yours, then /cancel JOB_ID`,
    BAD_QUOTA_ARGS: (p) =>
      `/quota does not take "${p.sub}". Usage: /quota, /quota set @member 20, /quota add @member 5, /quota chat 100`,
    BAD_USER: (p) =>
      `${p.value ? `"${p.value}" is not a member. ` : ''}Please @mention the member, e.g. /quota ${p.sub} @alice ${p.sub === 'set' ? 20 : 5}`,
    BAD_NUMBER: (p) =>
      `${p.value ? `"${p.value}" is not a valid number. ` : 'The number is missing. '}Use an integer from ${p.min} to ${p.max}, e.g. ${quotaExample(p.sub, '@alice')}`,
    BAD_RANGE: (p) => `Unknown range "${p.value}": use today or 7d, e.g. /usage 7d`,
    UNKNOWN_COMMAND: (p) =>
      `There is no command ${p.command}.${p.suggestion ? ` Did you mean ${p.suggestion}?` : ''} Send /help for the list.`,
  },
};

function exampleValue(option: string): string {
  if (option.includes('model')) return '1080p';
  if (option.includes('duration')) return '10';
  if (option.includes('ratio')) return '9:16';
  return '42';
}

function quotaExample(sub: QuotaSub, user: string): string {
  if (sub === 'chat') return '/quota chat 100';
  return sub === 'set' ? `/quota set ${user} 20` : `/quota add ${user} 5`;
}

export const texts: Readonly<Record<Locale, Texts>> = { zh, en };

/** The texts of a locale (anything unknown falls back to Simplified Chinese). */
export function t(locale: Locale = 'zh'): Texts {
  return locale === 'en' ? en : zh;
}

/** The message for one parser error. */
export function errorMessage<C extends ParseErrorCode>(
  locale: Locale,
  code: C,
  params: ErrorParams[C],
): string {
  const fn = t(locale).errors[code] as (p: ErrorParams[C]) => string;
  return fn(params);
}
