/** Text helpers of the command parser. Pure. */
import { editDistance } from '../../util/edit-distance.js';

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
  for (const m of text.matchAll(/\S+/gu))
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** NFKC (full-width digits, colons, letters, slash, hyphens → ASCII) and lower case. */
export function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An integer in [min, max] (full-width digits allowed), or null. */
export function parseIntIn(v: string | undefined, min: number, max: number): number | null {
  if (v === undefined) return null;
  const s = fold(v).trim();
  if (!/^[+-]?\d{1,9}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** At most `n` characters (code points) of `s`, for echoing user input back. */
export function clip(s: string, n = 40): string {
  const chars = [...s];
  return chars.length > n ? chars.slice(0, n).join('') : s;
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '「': '」', '『': '』', '‘': '’' };

/** `"橘猫打哈欠"` → `橘猫打哈欠` when the whole text is wrapped in one pair of quotes. */
export function unquote(s: string): string {
  const open = s[0];
  if (s.length < 2 || open === undefined) return s;
  const close = QUOTES[open];
  if (!close || !s.endsWith(close)) return s;
  const inner = s.slice(1, -1);
  if (inner.includes(open) || inner.includes(close)) return s;
  return inner.trim();
}

/** Two letters swapped, nothing else: the slip of a hand, not another word (`/qouta`, not `/quote`). */
export function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return (
    diff.length === 2 &&
    diff[1] === diff[0]! + 1 &&
    a[diff[0]!] === b[diff[1]!] &&
    a[diff[1]!] === b[diff[0]!]
  );
}

/** The candidate nearest to `word` when it is close enough to be a typo of it (≤1 edit, ≤2 from 5 letters). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const s = fold(word).slice(0, 20);
  if (s.length < 3) return undefined;
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(s, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best && bestD > 0 && bestD <= (s.length >= 5 ? 2 : 1) ? best : undefined;
}
