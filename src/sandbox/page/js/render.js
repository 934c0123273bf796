// @ts-check
/** One message of the chat as a list item: avatar, name, time, the quoted parent, the body, 回复. */
import { cardHtml } from './card-html.js';
import { avatarHtml, escapeHtml, imageUrl, richText } from './html.js';
import { follow, sizes } from './scroll.js';
import { mentionName, postBody, snippet } from './snippet.js';
import { state } from './state.js';

/** @typedef {import('./state.js').ChatMessage} ChatMessage */

/** @param {ChatMessage} m */
function postHtml(m) {
  const post = postBody(m.content);
  const blocks = [];
  /** @type {string[]} */ let imgs = [];
  const flush = () => {
    if (imgs.length) blocks.push(`<div class="post-images">${imgs.join('')}</div>`);
    imgs = [];
  };
  for (const p of post.content ?? []) {
    let line = '';
    for (const n of Array.isArray(p) ? p : []) {
      if (n?.tag === 'img' && n.image_key)
        imgs.push(`<img src="${imageUrl(n.image_key)}" alt="${escapeHtml(m.sender.name)} 发送的图片">`);
      else if (n?.tag === 'at')
        line += `<span class="at">@${escapeHtml(n.user_name ?? mentionName(m, n.user_id ?? ''))}</span>`;
      else if (n?.tag === 'a' && typeof n.href === 'string' && /^https?:/.test(n.href))
        line += `<a href="${escapeHtml(n.href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(n.text ?? n.href)}</a>`;
      else if (typeof n?.text === 'string') line += escapeHtml(n.text);
    }
    if (line) {
      flush();
      blocks.push(`<p>${line}</p>`);
    }
  }
  flush();
  const title = post.title ? `<p class="post-title">${escapeHtml(String(post.title))}</p>` : '';
  return `<div class="bubble post">${title}${blocks.join('')}</div>`;
}

/** @param {ChatMessage} m */
function bodyHtml(m) {
  const c = m.content ?? {};
  switch (m.msgType) {
    case 'text':
      return `<div class="bubble">${richText(String(c.text ?? ''), m.mentions)}</div>`;
    case 'interactive':
      return cardHtml(c);
    case 'image':
      return `<div class="image-msg"><img src="${imageUrl(c.image_key ?? '')}" alt="${escapeHtml(m.sender.name)} 发送的图片"></div>`;
    case 'post':
      return postHtml(m);
    case 'media': {
      const poster = c.image_key ? ` poster="${imageUrl(c.image_key)}"` : '';
      const clip = state.clip;
      const note =
        m.sender.type === 'app' && clip
          ? `<p class="sim-note">沙盒模拟器：每个视频都是同一段 ${clip.seconds} 秒 ${clip.width}×${clip.height} 的测试画面，与所选比例、时长、清晰度无关。</p>`
          : '';
      return `<div class="media"><video controls preload="metadata" playsinline${poster} src="/sandbox/files/${encodeURIComponent(c.file_key ?? '')}"></video>${note}</div>`;
    }
    case 'file':
      return `<div class="bubble"><a href="/sandbox/files/${encodeURIComponent(c.file_key ?? '')}">📎 ${escapeHtml(c.file_name ?? '文件')}</a></div>`;
    default:
      return `<div class="bubble">[${escapeHtml(m.msgType)}] ${escapeHtml(JSON.stringify(c))}</div>`;
  }
}

/** @param {number} ms */
function timeOf(ms) {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** @param {ChatMessage} m */
export function messageElement(m) {
  const li = document.createElement('li');
  li.className = `msg${m.sender.id === state.user ? ' mine' : ''}`;
  li.dataset.id = m.id;
  li.dataset.type = m.msgType;
  const parent = m.parentId ? state.messages.get(m.parentId) : undefined;
  const quote = parent
    ? `<div class="quote"><button type="button" class="quote-link" data-goto="${escapeHtml(parent.id)}">回复 ${escapeHtml(parent.sender.name)}：${escapeHtml(snippet(parent))}</button></div>`
    : '';
  const isAdmin = state.users.find((u) => u.openId === m.sender.id)?.admin;
  const tag =
    m.sender.type === 'app'
      ? '<span class="tag bot">机器人</span>'
      : isAdmin
        ? '<span class="tag">管理员</span>'
        : '';
  li.innerHTML = `${avatarHtml(m.sender)}<div class="msg-main">
    <div class="meta"><span class="name">${escapeHtml(m.sender.name)}</span>${tag}<time datetime="${new Date(m.createTime).toISOString()}">${timeOf(m.createTime)}</time></div>
    ${quote}${bodyHtml(m)}
    <div class="actions"><button type="button" class="link-button" data-reply="${escapeHtml(m.id)}" aria-label="回复 ${escapeHtml(m.sender.name)} 的消息">回复</button></div>
  </div>`;
  // Images and videos change the message's height when they load: stay at the bottom (see keepBottom).
  for (const v of li.querySelectorAll('img')) v.addEventListener('load', follow, { once: true });
  for (const v of li.querySelectorAll('video')) v.addEventListener('loadedmetadata', follow, { once: true });
  sizes.observe(li);
  return li;
}
