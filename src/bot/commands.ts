/**
 * Pure parser: message text + mentions → what the user asked for. Never throws; never does I/O.
 * Grammar and messages: notes/interfaces.md (src/bot/commands.ts) and src/bot/texts.ts.
 */
import type { ModelTier } from '../jimeng/models.js';
import { type ErrorParams, errorMessage, type Locale } from './texts.js';

export interface Mention {
  key: string;
  openId: string;
  name: string;
}

export interface ParseContext {
  mentions: readonly Mention[];
  botOpenId?: string;
  chatType: string;
  /** Language of error messages; default 'zh'. */
  locale?: Locale;
}

export type ParseErrorCode =
  | 'EMPTY_PROMPT'
  | 'PROMPT_TOO_LONG'
  | 'UNKNOWN_OPTION'
  | 'MISSING_VALUE'
  | 'BAD_MODEL'
  | 'BAD_DURATION'
  | 'BAD_RATIO'
  | 'BAD_SEED'
  | 'MISSING_JOB_ID'
  | 'BAD_JOB_ID'
  | 'BAD_QUOTA_ARGS'
  | 'BAD_USER'
  | 'BAD_NUMBER'
  | 'BAD_RANGE'
  | 'UNKNOWN_COMMAND';

export type VideoDuration = 5 | 10;

export type ParsedInput =
  | { type: 'ignore' }
  | { type: 'help' }
  | { type: 'models' }
  | { type: 'mention_only' }
  | {
      type: 'video';
      prompt: string;
      model?: ModelTier;
      duration?: VideoDuration;
      ratio?: string;
      seed?: number;
    }
  | { type: 'quota' }
  | { type: 'jobs' }
  | { type: 'cancel'; jobId: string }
  | { type: 'quota_set'; userOpenId: string; perDay: number }
  | { type: 'quota_add'; userOpenId: string; n: number }
  | { type: 'quota_chat'; n: number }
  | { type: 'usage'; range: 'today' | '7d' }
  | { type: 'pause'; reason?: string }
  | { type: 'resume' }
  | { type: 'error'; code: ParseErrorCode; message: string };

export type ParseError = Extract<ParsedInput, { type: 'error' }>;

/** Accepted values (kept here so the parser does not depend on the model catalogue at runtime). */
export const VIDEO_TIERS: readonly ModelTier[] = ['720p', '1080p', 'pro'];
export const VIDEO_RATIOS: readonly string[] = ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'];
export const VIDEO_DURATIONS: readonly VideoDuration[] = [5, 10];
/** Jimeng's hard limit on prompt length, in characters (code points). */
export const MAX_PROMPT_CHARS = 800;
export const MAX_QUOTA = 10_000;
export const MAX_PAUSE_REASON_CHARS = 200;
const SEED_LIMIT = 2 ** 32;

export type CommandName =
  | 'video'
  | 'help'
  | 'models'
  | 'quota'
  | 'jobs'
  | 'cancel'
  | 'usage'
  | 'pause'
  | 'resume';

/** Every spelling a user may type (after NFKC + lower-casing, without the slash). */
const COMMAND_ALIASES: Record<string, CommandName> = {
  video: 'video',
  视频: 'video',
  help: 'help',
  帮助: 'help',
  models: 'models',
  model: 'models',
  模型: 'models',
  quota: 'quota',
  额度: 'quota',
  jobs: 'jobs',
  job: 'jobs',
  任务: 'jobs',
  cancel: 'cancel',
  取消: 'cancel',
  usage: 'usage',
  用量: 'usage',
  pause: 'pause',
  暂停: 'pause',
  resume: 'resume',
  恢复: 'resume',
};

/** Commands whose name may be glued to the text that follows (`/video橘猫`, `/视频橘猫`). */
const GLUEABLE = ['video', '视频'];

export interface Token {
  text: string;
  start: number;
  end: number;
}

/** Zero-width characters and controls (except tab/newline) that clients or copy-paste slip into text. */
const INVISIBLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]/g;

/** Removes invisible/control characters (keeps tab and newlines; CR/LF → LF). */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
}

/** Splits on any Unicode whitespace (incl. the full-width space U+3000), remembering positions. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/\S+/gu)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** NFKC (full-width digits, colons, letters, slash, hyphens → ASCII) and lower case. */
export function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/** `—model`, `——model`, `–model`, `－－model` → `--model`. Returns null when the token is not option-like. */
function optionParts(raw: string): { name: string; value?: string; dashed: 'ascii' | 'dash' } | null {
  const s = fold(raw);
  const m = /^(--|-|—{1,2}|–{1,2}|−{1,2})([a-z][a-z0-9_-]*)(?:[=:](.*))?$/su.exec(s);
  if (!m) return null;
  const [, dashes = '', name = '', value] = m;
  if (dashes === '-' && name.length !== 1 && value === undefined) {
    // `-abc`: a single dash only introduces one-letter options.
    return null;
  }
  const dashed = dashes.startsWith('-') ? 'ascii' : 'dash';
  return value === undefined ? { name, dashed } : { name, value, dashed };
}

type VideoOption = 'model' | 'duration' | 'ratio' | 'seed';
const OPTION_NAMES: Record<string, VideoOption> = {
  model: 'model',
  m: 'model',
  quality: 'model',
  resolution: 'model',
  res: 'model',
  duration: 'duration',
  d: 'duration',
  dur: 'duration',
  time: 'duration',
  ratio: 'ratio',
  r: 'ratio',
  ar: 'ratio',
  aspect: 'ratio',
  'aspect-ratio': 'ratio',
  seed: 'seed',
  s: 'seed',
};

const OPTION_CANONICAL: Record<VideoOption, string> = {
  model: '--model',
  duration: '--duration',
  ratio: '--ratio',
  seed: '--seed',
};

const COMMON_WRONG_RATIOS = ['16:10', '10:16', '9:21', '18:9', '9:18', '32:9', '9:32', '2.35:1'];

export const VIDEO_OPTIONS: readonly string[] = ['--model/-m', '--duration/-d', '--ratio/-r', '--seed/-s'];

function parseModel(v: string): ModelTier | null {
  const s = fold(v).trim();
  if (s === '720p' || s === '720') return '720p';
  if (s === '1080p' || s === '1080') return '1080p';
  if (s === 'pro') return 'pro';
  return null;
}

function parseDuration(v: string): VideoDuration | null {
  const m = /^(\d+)(?:s|秒|sec|秒钟)?$/u.exec(fold(v).trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n === 5 || n === 10 ? n : null;
}

function parseRatio(v: string): string | null {
  const m = /^(\d{1,3})[:：](\d{1,3})$/u.exec(fold(v).trim());
  if (!m) return null;
  const r = `${Number(m[1])}:${Number(m[2])}`;
  return VIDEO_RATIOS.includes(r) ? r : null;
}

function parseSeed(v: string): number | null {
  const s = fold(v).trim();
  if (!/^[+-]?\d{1,12}$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= -1 && n < SEED_LIMIT ? n : null;
}

function parseIntIn(v: string | undefined, min: number, max: number): number | null {
  if (v === undefined) return null;
  const s = fold(v).trim();
  if (!/^[+-]?\d{1,9}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class Parser {
  readonly locale: Locale;
  readonly mentions: Mention[];

  constructor(readonly ctx: ParseContext) {
    this.locale = ctx.locale === 'en' ? 'en' : 'zh';
    // Longest key first so `@_user_1` never matches the start of `@_user_10`.
    this.mentions = (Array.isArray(ctx.mentions) ? ctx.mentions : [])
      .filter((m): m is Mention => !!m && typeof m.key === 'string' && m.key.length > 0)
      .sort((a, b) => b.key.length - a.key.length);
  }

  error<C extends ParseErrorCode>(code: C, params: ErrorParams[C]): ParseError {
    return { type: 'error', code, message: errorMessage(this.locale, code, params) };
  }

  isBot(m: Mention): boolean {
    return !!this.ctx.botOpenId && m.openId === this.ctx.botOpenId;
  }

  /** The mention whose key starts `text` at `at` (followed by a non-word character), if any. */
  mentionAt(text: string, at: number): Mention | undefined {
    for (const m of this.mentions) {
      if (!text.startsWith(m.key, at)) continue;
      const next = text[at + m.key.length];
      if (next === undefined || !/[0-9A-Za-z_]/.test(next)) return m;
    }
    return undefined;
  }

  /** Strips leading mentions of the bot; returns the rest and whether one was stripped. */
  stripLeadingBot(text: string): { rest: string; stripped: boolean } {
    let rest = text.trimStart();
    let stripped = false;
    for (let i = 0; i < 20; i++) {
      const m = this.mentionAt(rest, 0);
      if (!m) break;
      const isBot = this.ctx.botOpenId ? this.isBot(m) : !stripped;
      if (!isBot) break;
      rest = rest.slice(m.key.length).trimStart();
      stripped = true;
    }
    return { rest, stripped };
  }

  /** Placeholders → `@name` (mentions of the bot itself are dropped). */
  resolveMentions(text: string): string {
    if (this.mentions.length === 0) return text;
    const re = new RegExp(`(${this.mentions.map((m) => escapeRe(m.key)).join('|')})(?![0-9A-Za-z_])`, 'g');
    const byKey = new Map(this.mentions.map((m) => [m.key, m] as const));
    return text.replace(re, (key: string) => {
      const m = byKey.get(key);
      if (!m) return key;
      if (this.isBot(m)) return '';
      const name = typeof m.name === 'string' && m.name.trim() ? m.name.trim() : '';
      return name ? `@${name}` : key;
    });
  }
}

/** The command a token names, and any text glued to it (`/video橘猫`). */
function matchCommand(token: string): { name: CommandName; glued: string } | { unknown: string } | null {
  // Command names are short; a long token can only be a command glued to its text (`/视频橘猫…`).
  const s = fold(token.length > 64 ? token.slice(0, 64) : token);
  if (!s.startsWith('/') || s.length < 2) return null;
  const body = s.slice(1);
  if (/^[/\s]/u.test(body)) return null;
  const exact = token.length > 64 ? undefined : COMMAND_ALIASES[body];
  if (exact) return { name: exact, glued: '' };
  for (const g of GLUEABLE) {
    if (!body.startsWith(g) || body.length === g.length) continue;
    const next = body[g.length] ?? '';
    // `/videos` is not `/video` + `s`; `/video橘猫` is.
    if (/^[a-z0-9_-]$/.test(next) && /^[a-z]/.test(g)) continue;
    // Slice the *raw* token so the prompt keeps its original characters (full-width ones included).
    for (let k = 2; k <= token.length; k++) {
      if (fold(token.slice(0, k)) === `/${g}`) return { name: 'video', glued: token.slice(k) };
    }
    return { unknown: token.slice(0, 40) };
  }
  return { unknown: token.slice(0, 40) };
}

function isGroup(chatType: string): boolean {
  return chatType !== 'p2p';
}

/** Levenshtein distance, for "did you mean /video?". Inputs are short. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

const SUGGESTABLE = ['video', 'help', 'models', 'quota', 'jobs', 'cancel', 'usage', 'pause', 'resume'];

function suggest(unknown: string): string | undefined {
  const s = fold(unknown).replace(/^\//, '').slice(0, 20);
  if (s.length < 3) return undefined;
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const name of SUGGESTABLE) {
    const d = distance(s, name);
    if (d < bestD) {
      bestD = d;
      best = name;
    }
  }
  return best && bestD <= (s.length >= 5 ? 2 : 1) ? `/${best}` : undefined;
}

/**
 * Parses one chat message. Never throws: anything unexpected becomes `ignore`, `mention_only` or an
 * `error` whose `message` says what is wrong and the right form.
 */
export function parseCommand(text: string, ctx: ParseContext): ParsedInput {
  try {
    return parse(typeof text === 'string' ? text : '', ctx);
  } catch {
    // Defensive: the parser is total by construction; this keeps a bug from killing the event handler.
    return isGroup(ctx?.chatType ?? 'group') ? { type: 'ignore' } : { type: 'mention_only' };
  }
}

function parse(rawText: string, ctx: ParseContext): ParsedInput {
  const p = new Parser(ctx);
  const group = isGroup(typeof ctx.chatType === 'string' ? ctx.chatType : 'group');
  const { rest, stripped } = p.stripLeadingBot(cleanText(rawText));
  const mentionedBot =
    stripped || (!!ctx.botOpenId && p.mentions.some((m) => p.isBot(m) && rawText.includes(m.key)));

  const firstMatch = /\S+/u.exec(rest);
  const first = firstMatch
    ? { text: firstMatch[0], end: firstMatch.index + firstMatch[0].length }
    : undefined;
  const cmd = first ? matchCommand(first.text) : null;

  if (!cmd) return group && !mentionedBot ? { type: 'ignore' } : { type: 'mention_only' };
  if ('unknown' in cmd) {
    if (group && !mentionedBot) return { type: 'ignore' };
    const suggestion = suggest(cmd.unknown);
    return p.error(
      'UNKNOWN_COMMAND',
      suggestion ? { command: cmd.unknown, suggestion } : { command: cmd.unknown },
    );
  }

  // Arguments: the glued remainder (if any) followed by the rest of the text.
  const argText = cmd.glued + (first ? rest.slice(first.end) : '');
  switch (cmd.name) {
    case 'help':
      return { type: 'help' };
    case 'models':
      return { type: 'models' };
    case 'jobs':
      return { type: 'jobs' };
    case 'resume':
      return { type: 'resume' };
    case 'video':
      return parseVideo(p, argText);
    case 'cancel':
      return parseCancel(p, argText);
    case 'quota':
      return parseQuota(p, argText);
    case 'usage':
      return parseUsage(p, argText);
    case 'pause': {
      const reason = [...p.resolveMentions(argText.slice(0, MAX_PAUSE_REASON_CHARS * 8)).trim()]
        .slice(0, MAX_PAUSE_REASON_CHARS)
        .join('')
        .trim();
      return reason ? { type: 'pause', reason } : { type: 'pause' };
    }
  }
}

function parseVideo(p: Parser, args: string): ParsedInput {
  // Options take a few dozen characters at most: far past the limit, the prompt is too long whatever they are.
  if (args.length > MAX_PROMPT_CHARS * 16) {
    return p.error('PROMPT_TOO_LONG', { length: args.trim().length, max: MAX_PROMPT_CHARS });
  }
  const tokens = tokenize(args);
  const out: { model?: ModelTier; duration?: VideoDuration; ratio?: string; seed?: number } = {};
  const removed = new Set<number>();
  let promptStarted = false;
  let endOfOptions = false;

  const apply = (opt: VideoOption, value: string | undefined): ParseError | null => {
    if (value === undefined || value.trim() === '')
      return p.error('MISSING_VALUE', { option: OPTION_CANONICAL[opt] });
    const v = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    switch (opt) {
      case 'model': {
        const m = parseModel(value);
        if (!m) return p.error('BAD_MODEL', { value: v, allowed: VIDEO_TIERS });
        out.model = m;
        return null;
      }
      case 'duration': {
        const d = parseDuration(value);
        if (!d) return p.error('BAD_DURATION', { value: v, allowed: VIDEO_DURATIONS });
        out.duration = d;
        return null;
      }
      case 'ratio': {
        const r = parseRatio(value);
        if (!r) return p.error('BAD_RATIO', { value: v, allowed: VIDEO_RATIOS });
        out.ratio = r;
        return null;
      }
      case 'seed': {
        const s = parseSeed(value);
        if (s === null) return p.error('BAD_SEED', { value: v });
        out.seed = s;
        return null;
      }
    }
  };

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (!endOfOptions) {
      const folded = fold(tok.text);
      if (!promptStarted && folded === '--') {
        endOfOptions = true;
        removed.add(i);
        continue;
      }
      const o = optionParts(tok.text);
      if (o) {
        const known = OPTION_NAMES[o.name];
        // After the prompt has begun only long, known options are taken (`橘猫 --ratio 9:16`), so words
        // like `-s` in the middle of a sentence stay in the prompt. Em-dash spellings of unknown names
        // (`——iPhone`) are ordinary text.
        const longForm = o.name.length > 1;
        if (known && (!promptStarted || longForm)) {
          removed.add(i);
          let value = o.value;
          if (value === undefined) {
            const next = tokens[i + 1];
            if (next) {
              removed.add(i + 1);
              value = next.text;
              i++;
            }
          }
          const err = apply(known, value);
          if (err) return err;
          continue;
        }
        if (!known && o.dashed === 'ascii' && (longForm || !promptStarted)) {
          const option = `${longForm ? '--' : '-'}${o.name.slice(0, 30)}`;
          return p.error('UNKNOWN_OPTION', { option, valid: VIDEO_OPTIONS });
        }
      }
      if (!promptStarted) {
        // Bare leading tokens: `10s`, `10秒`, `9:16`, `1080p`.
        const d = parseDuration(folded);
        if (d && /\D$/u.test(folded)) {
          out.duration = d;
          removed.add(i);
          continue;
        }
        // `7秒` is clearly a duration; `80s` may be a decade (`80s 复古风`), so only 秒 is an error.
        if (/^\d{1,3}(?:秒|秒钟)$/u.test(folded)) {
          return p.error('BAD_DURATION', { value: tok.text, allowed: VIDEO_DURATIONS });
        }
        const r = parseRatio(folded);
        if (r) {
          out.ratio = r;
          removed.add(i);
          continue;
        }
        // `5:4` or `16:10` are ratio attempts; `12:30` (a time of day) starts the prompt.
        if (/^\d{1,2}[:：]\d$/u.test(folded) || COMMON_WRONG_RATIOS.includes(folded)) {
          return p.error('BAD_RATIO', { value: tok.text, allowed: VIDEO_RATIOS });
        }
        if (/^\d{3,4}p$/u.test(folded) || folded === '4k' || folded === '2k') {
          const m = parseModel(folded);
          if (!m) return p.error('BAD_MODEL', { value: tok.text, allowed: VIDEO_TIERS });
          out.model = m;
          removed.add(i);
          continue;
        }
      }
    }
    promptStarted = true;
  }

  // Rebuild the prompt from the kept tokens, keeping each run's original spacing and line breaks.
  const pieces: string[] = [];
  let runStart = -1;
  let runEnd = -1;
  for (let i = 0; i <= tokens.length; i++) {
    const tok = tokens[i];
    if (tok && !removed.has(i)) {
      if (runStart < 0) runStart = tok.start;
      runEnd = tok.end;
      continue;
    }
    if (runStart >= 0) pieces.push(args.slice(runStart, runEnd));
    runStart = -1;
  }
  const prompt = unquote(
    p
      .resolveMentions(pieces.join(' '))
      .replace(/[ \t\u3000]{2,}/g, ' ')
      .trim(),
  );

  if (!prompt) return p.error('EMPTY_PROMPT', {});
  const length = [...prompt].length;
  if (length > MAX_PROMPT_CHARS) return p.error('PROMPT_TOO_LONG', { length, max: MAX_PROMPT_CHARS });
  return { type: 'video', prompt, ...out };
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '「': '」', '『': '』', '‘': '’' };

/** `"橘猫打哈欠"` → `橘猫打哈欠` when the whole prompt is wrapped in one pair of quotes. */
function unquote(s: string): string {
  const open = s[0];
  if (s.length < 2 || open === undefined) return s;
  const close = QUOTES[open];
  if (!close || !s.endsWith(close)) return s;
  const inner = s.slice(1, -1);
  if (inner.includes(open) || inner.includes(close)) return s;
  return inner.trim();
}

function parseCancel(p: Parser, args: string): ParsedInput {
  const tok = tokenize(args)[0];
  if (!tok) return p.error('MISSING_JOB_ID', {});
  const id = tok.text.normalize('NFKC').replace(/^[#＃]/, '');
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(id)) return p.error('BAD_JOB_ID', { value: tok.text.slice(0, 40) });
  return { type: 'cancel', jobId: id };
}

const QUOTA_SUBS: Record<string, 'set' | 'add' | 'chat'> = {
  set: 'set',
  设置: 'set',
  add: 'add',
  增加: 'add',
  加: 'add',
  chat: 'chat',
  group: 'chat',
  群: 'chat',
  本群: 'chat',
};

function parseQuota(p: Parser, args: string): ParsedInput {
  const tokens = tokenize(args).map((x) => x.text);
  const [subRaw, a, b] = tokens;
  if (subRaw === undefined) return { type: 'quota' };
  const sub = QUOTA_SUBS[fold(subRaw)];
  if (!sub) return p.error('BAD_QUOTA_ARGS', { sub: subRaw.slice(0, 40) });
  if (sub === 'chat') {
    const n = parseIntIn(a, 0, MAX_QUOTA);
    if (n === null)
      return p.error('BAD_NUMBER', { value: (a ?? '').slice(0, 40), min: 0, max: MAX_QUOTA, sub });
    return { type: 'quota_chat', n };
  }
  const userOpenId = a === undefined ? undefined : resolveUser(p, a);
  if (!userOpenId) return p.error('BAD_USER', { value: (a ?? '').slice(0, 40), sub });
  const min = sub === 'set' ? 0 : 1;
  const n = parseIntIn(b, min, MAX_QUOTA);
  if (n === null) return p.error('BAD_NUMBER', { value: (b ?? '').slice(0, 40), min, max: MAX_QUOTA, sub });
  return sub === 'set' ? { type: 'quota_set', userOpenId, perDay: n } : { type: 'quota_add', userOpenId, n };
}

/** A mention placeholder (`@_user_2`) → its open_id; a raw `ou_…` open_id is taken as is. */
function resolveUser(p: Parser, token: string): string | undefined {
  const m = p.mentions.find((x) => x.key === token);
  if (m) return typeof m.openId === 'string' && m.openId ? m.openId : undefined;
  if (/^ou_[0-9A-Za-z_-]{1,100}$/.test(token)) return token;
  return undefined;
}

function parseUsage(p: Parser, args: string): ParsedInput {
  const tok = tokenize(args)[0];
  if (!tok) return { type: 'usage', range: 'today' };
  const v = fold(tok.text);
  if (['today', '今天', '今日', '1d', '1天'].includes(v)) return { type: 'usage', range: 'today' };
  if (['7d', '7天', '7日', 'week', '本周', '一周', '近7天', '最近7天'].includes(v))
    return { type: 'usage', range: '7d' };
  return p.error('BAD_RANGE', { value: tok.text.slice(0, 40) });
}
