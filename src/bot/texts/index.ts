import { en } from './en/index.js';
import type { Locale, Texts } from './texts.js';
import { zh } from './zh/index.js';

export { formatYuan } from './format.js';
export type * from './texts.js';

export const TEXTS: Readonly<Record<Locale, Texts>> = { zh, en };

/** The texts of a locale (anything unknown falls back to Simplified Chinese). */
export function textsFor(locale: string | undefined): Texts {
  return locale === 'en' ? en : zh;
}
