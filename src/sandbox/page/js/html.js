// @ts-check
/** Building blocks of the page's HTML: escaping, mentions, Feishu's markdown, image URLs, avatars. */
import { nameOf } from './state.js';

/** @typedef {import('./state.js').ChatMessage} ChatMessage @typedef {import('./state.js').Sender} Sender */

const AVATAR_COLORS = ['#f76964', '#ffa53d', '#35bd4b', '#14c0ff', '#7f3bf5', '#f261b5', '#00b5a8'];

/** @param {string} s */
export function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const AT_TAG = /<at\s+(?:user_id|open_id|id)\s*=\s*"([^"]*)"\s*>([^<]*)<\/at>/g;

/**
 * Escapes text and turns `<at user_id="…"></at>` and mention keys (@_user_1) into @name.
 * @param {string} text
 * @param {ChatMessage['mentions']} [mentions]
 * @param {(escaped: string) => string} [format] applied to the escaped text between mentions
 */
export function richText(text, mentions, format = (s) => s) {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(AT_TAG)) {
    out += format(escapeHtml(text.slice(last, m.index)));
    const id = m[1] ?? '';
    const name = id === 'all' ? '所有人' : m[2] || nameOf(id);
    out += `<span class="at">@${escapeHtml(name)}</span>`;
    last = (m.index ?? 0) + m[0].length;
  }
  out += format(escapeHtml(text.slice(last)));
  for (const x of mentions ?? []) {
    out = out.split(escapeHtml(x.key)).join(`<span class="at">@${escapeHtml(x.name)}</span>`);
  }
  return out;
}

/** Minimal Feishu markdown on already-escaped text: **bold**, [text](url), line breaks. @param {string} s */
export function markdown(s) {
  return s
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label, url) =>
      /^(https?:\/\/|\/)/.test(url)
        ? `<a href="${url}" target="_blank" rel="noopener noreferrer">${label}</a>`
        : whole,
    )
    .replace(/\n/g, '<br>');
}

/** @param {string} key */
export const imageUrl = (key) => `/sandbox/images/${encodeURIComponent(key)}`;

/** @param {string} id */
function avatarColor(id) {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return AVATAR_COLORS[h % AVATAR_COLORS.length];
}

/** @param {Sender} sender */
export function avatarHtml(sender) {
  if (sender.type === 'app')
    return '<span class="avatar" style="background:linear-gradient(135deg,#4e83fd,#7f3bf5)" aria-hidden="true">即</span>';
  const initial = [...sender.name][0] === '管' ? '管' : ([...sender.name].at(-1) ?? '?');
  return `<span class="avatar" style="background:${avatarColor(sender.id)}" aria-hidden="true">${escapeHtml(initial)}</span>`;
}
