import pg from 'pg';

/**
 * JSON in and out of jsonb, exactly. jsonb refuses two things a JSON string may hold and user text can
 * contain: U+0000 and unpaired surrogates (a prompt cut in the middle of an emoji). Such characters, and
 * the escape character itself, are stored as ESC + four hex digits and turned back on the way out, so a
 * record reads back equal to what was written. Keys are not encoded (the store's records have fixed keys).
 * The fast path (nothing to encode, nothing to decode) costs one regex test.
 */
const ESC = '\uE000';
const UNSAFE = /[\u0000\uE000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** In JSON.stringify's output: an escaped NUL or lone surrogate (it writes both as \uXXXX), or ESC. */
const NEEDS_ENCODING = /\\u0000|\\ud[89a-f][0-9a-f]{2}|\uE000/;
const ESCAPED = /\uE000([0-9a-f]{4})/g;

const encode = (s: string) => s.replace(UNSAFE, (c) => ESC + c.charCodeAt(0).toString(16).padStart(4, '0'));
const decode = (s: string) =>
  s.replace(ESCAPED, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/** The JSON text of `value` for a jsonb parameter (undefined is stored as null). */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  if (!NEEDS_ENCODING.test(text)) return text;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? encode(v) : v));
}

export function parseJson(text: string): unknown {
  if (!text.includes(ESC)) return JSON.parse(text);
  return JSON.parse(text, (_key, v: unknown) => (typeof v === 'string' ? decode(v) : v));
}

const JSON_OID = 114;
const JSONB_OID = 3802;

/** Type parsers for the pool: json and jsonb through `parseJson`, everything else as node-postgres does. */
export const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === JSON_OID || oid === JSONB_OID
      ? parseJson
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};
