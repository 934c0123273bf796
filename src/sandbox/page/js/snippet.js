// @ts-check
/** A message in one line, as a quote or the reply bar shows it; and the parts of posts and mentions it needs. */
import { AT_TAG } from './html.js';
import { nameOf } from './state.js';

/** @typedef {import('./state.js').ChatMessage} ChatMessage */

/** @param {ChatMessage} m */
export function snippet(m) {
  if (m.msgType === 'text')
    // Feishu shows a quote as the user saw it: `@小王`, never the `@_user_1` placeholder of the wire text.
    return String(m.content?.text ?? '')
      .replace(AT_TAG, (_w, id, n) => `@${n || nameOf(id)}`)
      .replace(/@_user_\d+/g, (key) => {
        const name = mentionName(m, key);
        return name === key ? key : `@${name}`;
      });
  if (m.msgType === 'image') return '[图片]';
  if (m.msgType === 'media') return '[视频]';
  if (m.msgType === 'file') return '[文件]';
  if (m.msgType === 'interactive') return `[卡片] ${m.content?.header?.title?.content ?? ''}`;
  if (m.msgType === 'post') {
    const { text, images } = postSummary(m);
    return `${'[图片]'.repeat(images)}${text ? ` ${text}` : ''}`.trim();
  }
  return `[${m.msgType}]`;
}

/** A post's body (`{title, content}`, or wrapped in a locale key). @param {any} c */
export function postBody(c) {
  if (Array.isArray(c?.content)) return c;
  return Object.values(c ?? {}).find((v) => v && typeof v === 'object' && Array.isArray(v.content)) ?? {};
}

/** @param {ChatMessage} m */
function postSummary(m) {
  let images = 0;
  const lines = [];
  for (const p of postBody(m.content).content ?? []) {
    let line = '';
    for (const n of Array.isArray(p) ? p : []) {
      if (n?.tag === 'img') images += 1;
      else if (n?.tag === 'at') line += `@${n.user_name ?? mentionName(m, n.user_id)}`;
      else if (typeof n?.text === 'string') line += n.text;
    }
    if (line.trim()) lines.push(line);
  }
  return { text: lines.join(' '), images };
}

/** @param {ChatMessage} m @param {string} key */
export function mentionName(m, key) {
  return m.mentions?.find((x) => x.key === key)?.name ?? key;
}
