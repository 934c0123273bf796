/** "Did you mean": the nearest candidate by edit distance (adjacent swaps count as one), if near enough. */
import { editDistance } from '../util/edit-distance.js';

/** The closest candidate within max(1, ⌊length/3⌋) edits, or a candidate `word` is a prefix of. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  if (best && best.d <= Math.max(1, Math.floor(w.length / 3))) return best.c;
  const prefixed = candidates.filter((c) => w.length >= 2 && c.startsWith(w));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
