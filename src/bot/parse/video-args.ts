import type { Mentions } from './mentions.js';
import { type ParseError, parseError } from './parse-error.js';
import { fold, nearest, tokenize, unquote } from './text.js';

export type VideoTier = '720p' | '1080p' | 'pro';
export type VideoDuration = 5 | 10;
export type CameraStrength = 'weak' | 'medium' | 'strong';

export interface VideoArgs {
  prompt: string;
  model?: VideoTier;
  duration?: VideoDuration;
  ratio?: string;
  seed?: number;
  /** A camera-motion template as typed (English id or Chinese name; resolved by the handler). */
  camera?: string;
  strength?: CameraStrength;
}

export const VIDEO_TIERS: readonly VideoTier[] = ['720p', '1080p', 'pro'];
export const VIDEO_RATIOS: readonly string[] = ['16:9', '9:16', '4:3', '3:4', '1:1', '21:9'];
export const VIDEO_DURATIONS: readonly VideoDuration[] = [5, 10];
/** Jimeng's hard limit on prompt length, in characters (code points). */
export const MAX_PROMPT_CHARS = 800;
/** Seeds the bot sends: [0, 2^31−1]; −1 asks for a random one. */
export const MAX_SEED = 2 ** 31 - 1;

type Option = 'model' | 'duration' | 'ratio' | 'seed' | 'camera' | 'strength';
const OPTION_NAMES: Record<string, Option> = {
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
  camera: 'camera',
  c: 'camera',
  运镜: 'camera',
  strength: 'strength',
};
const CANONICAL: Record<Option, string> = {
  model: '--model',
  duration: '--duration',
  ratio: '--ratio',
  seed: '--seed',
  camera: '--camera',
  strength: '--strength',
};
export const VIDEO_OPTIONS: readonly string[] = [
  '--model/-m',
  '--duration/-d',
  '--ratio/-r',
  '--seed/-s',
  '--camera',
  '--strength',
];
const LONG_NAMES = Object.keys(OPTION_NAMES).filter((n) => n.length > 1 && /^[a-z-]+$/.test(n));
const COMMON_WRONG_RATIOS = ['16:10', '10:16', '9:21', '18:9', '9:18', '32:9', '9:32', '2.35:1'];
const STRENGTHS: Record<string, CameraStrength> = {
  weak: 'weak',
  弱: 'weak',
  medium: 'medium',
  中: 'medium',
  strong: 'strong',
  强: 'strong',
};

/** `—model`, `——model`, `–model`, `－－model` → `--model`. Null when the token is not option-like. */
function optionParts(raw: string): { name: string; value?: string; dashed: 'ascii' | 'dash' } | null {
  const m = /^(--|-|—{1,2}|–{1,2}|−{1,2})([a-z\u4e00-\u9fff][a-z0-9_\u4e00-\u9fff-]*)(?:[=:](.*))?$/su.exec(
    fold(raw),
  );
  if (!m) return null;
  const [, dashes = '', name = '', value] = m;
  // `-abc`: a single dash only introduces one-letter options.
  if (dashes === '-' && name.length !== 1 && value === undefined) return null;
  const dashed = dashes.startsWith('-') ? 'ascii' : 'dash';
  return value === undefined ? { name, dashed } : { name, value, dashed };
}

function parseModel(v: string): VideoTier | null {
  const s = fold(v).trim();
  if (s === '720p' || s === '720') return '720p';
  if (s === '1080p' || s === '1080') return '1080p';
  return s === 'pro' ? 'pro' : null;
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
  return Number.isSafeInteger(n) && n >= -1 && n <= MAX_SEED ? n : null;
}

/** Parses `/video`'s arguments: options (long, short, full-width), bare leading forms, then the prompt. */
export function parseVideoArgs(args: string, mentions: Mentions): VideoArgs | ParseError {
  // Options take a few dozen characters at most: far past the limit, the prompt is too long whatever they are.
  if (args.length > MAX_PROMPT_CHARS * 16)
    return parseError('PROMPT_TOO_LONG', { length: args.trim().length, max: MAX_PROMPT_CHARS });
  const tokens = tokenize(args);
  const out: Omit<VideoArgs, 'prompt'> = {};
  const removed = new Set<number>();
  let promptStarted = false;
  let endOfOptions = false;

  const apply = (opt: Option, value: string | undefined): ParseError | null => {
    if (value === undefined || value.trim() === '')
      return parseError('MISSING_VALUE', { option: CANONICAL[opt] });
    const v = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    switch (opt) {
      case 'model': {
        const m = parseModel(value);
        if (!m) return parseError('BAD_MODEL', { value: v, allowed: VIDEO_TIERS });
        out.model = m;
        return null;
      }
      case 'duration': {
        const d = parseDuration(value);
        if (!d) return parseError('BAD_DURATION', { value: v, allowed: VIDEO_DURATIONS });
        out.duration = d;
        return null;
      }
      case 'ratio': {
        const r = parseRatio(value);
        if (!r) return parseError('BAD_RATIO', { value: v, allowed: VIDEO_RATIOS });
        out.ratio = r;
        return null;
      }
      case 'seed': {
        const s = parseSeed(value);
        if (s === null) return parseError('BAD_SEED', { value: v, max: MAX_SEED });
        out.seed = s;
        return null;
      }
      case 'camera':
        out.camera = value.trim();
        return null;
      case 'strength': {
        const s = STRENGTHS[fold(value).trim()];
        if (!s) return parseError('BAD_STRENGTH', { value: v });
        out.strength = s;
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
          const near = longForm ? nearest(o.name, LONG_NAMES) : undefined;
          return parseError('UNKNOWN_OPTION', {
            option,
            valid: VIDEO_OPTIONS,
            ...(near ? { suggestion: `--${near}` } : {}),
          });
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
        if (/^\d{1,3}(?:秒|秒钟)$/u.test(folded))
          return parseError('BAD_DURATION', { value: tok.text, allowed: VIDEO_DURATIONS });
        const r = parseRatio(folded);
        if (r) {
          out.ratio = r;
          removed.add(i);
          continue;
        }
        // `5:4` or `16:10` are ratio attempts; `12:30` (a time of day) starts the prompt.
        if (/^\d{1,2}[:：]\d$/u.test(folded) || COMMON_WRONG_RATIOS.includes(folded))
          return parseError('BAD_RATIO', { value: tok.text, allowed: VIDEO_RATIOS });
        if (/^\d{3,4}p$/u.test(folded) || folded === '4k' || folded === '2k') {
          const m = parseModel(folded);
          if (!m) return parseError('BAD_MODEL', { value: tok.text, allowed: VIDEO_TIERS });
          out.model = m;
          removed.add(i);
          continue;
        }
      }
    }
    promptStarted = true;
  }

  const prompt = unquote(collapseSpaces(mentions.resolve(keptText(args, tokens, removed))).trim());
  if (!prompt) return parseError('EMPTY_PROMPT', {});
  const length = [...prompt].length;
  if (length > MAX_PROMPT_CHARS) return parseError('PROMPT_TOO_LONG', { length, max: MAX_PROMPT_CHARS });
  return { prompt, ...out };
}

/** The kept tokens, each run with its original spacing and line breaks (a multi-shot prompt keeps its lines). */
function keptText(args: string, tokens: ReturnType<typeof tokenize>, removed: ReadonlySet<number>): string {
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
  return pieces.join(' ');
}

/** Runs of spaces within a line become one; line breaks stay (trailing spaces on a line go). */
function collapseSpaces(s: string): string {
  return s
    .replace(/[ \t\u3000]{2,}/g, ' ')
    .replace(/[ \t\u3000]+\n/g, '\n')
    .replace(/\n[ \t\u3000]+/g, '\n');
}
