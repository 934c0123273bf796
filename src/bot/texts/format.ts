/** Number formats shared by both locales. */

/** 0.6 → "0.6", 1 → "1.0", 0.75 → "0.75". */
export function formatYuan(n: number): string {
  if (!Number.isFinite(n)) return '?';
  return Number.isInteger(n * 10) ? n.toFixed(1) : String(Math.round(n * 100) / 100);
}

/** First `n` characters (code points) of one line of `s`, with an ellipsis when cut. */
export function excerpt(s: string, n: number): string {
  const line = s.replace(/\s*\n\s*/g, ' / ');
  const chars = [...line];
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : line;
}

/** A Feishu mention of a user in a text message. */
export const atUser = (openId: string) => `<at user_id="${openId}"></at>`;
