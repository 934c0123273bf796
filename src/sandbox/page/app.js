// @ts-check
/**
 * The sandbox chat page: a group chat with the bot, fed by /sandbox/events (server-sent events).
 * Plain modern JS, served as-is (no build step).
 */

/**
 * @typedef {{ openId: string, name: string, admin: boolean }} User
 * @typedef {{ type: 'app' | 'user', id: string, name: string }} Sender
 * @typedef {{
 *   id: string, msgType: string, content: any, sender: Sender, parentId?: string, rootId?: string,
 *   threadId?: string, mentions?: { key: string, name: string }[], createTime: number, updateTime: number
 * }} ChatMessage
 * @typedef {{ generationMs: number, pendingFaults: string[], failNextTasks: number }} Knobs
 * @typedef {{ seconds: number, width: number, height: number }} Clip
 * @typedef {{ chatId: string, bot: { name: string, openId: string }, users: User[],
 *   messages: ChatMessage[], knobs: Knobs, simulatorClip?: Clip }} Snapshot
 * @typedef {{ openId: string, name: string, bot?: boolean, admin?: boolean }} Member
 */

const FAULT_LABELS = /** @type {Record<string, string>} */ ({
  qps: 'QPS 限流',
  concurrency: '并发超限',
  risk_text: '内容风控',
  risk_image: '图片风控',
  risk_output: '输出风控',
  fail: '生成失败',
  500: '服务器 500',
  slow: '慢响应',
  hang: '无响应',
});
const AVATAR_COLORS = ['#f76964', '#ffa53d', '#35bd4b', '#14c0ff', '#7f3bf5', '#f261b5', '#00b5a8'];

const state = {
  /** @type {User[]} */ users: [],
  bot: { name: '即梦视频助手', openId: '' },
  /** @type {Map<string, ChatMessage>} */ messages: new Map(),
  /** @type {string} */ user: localStorage.getItem('sandbox.user') ?? '',
  /** @type {string | undefined} */ replyTo: undefined,
  /** @type {Clip | undefined} */ clip: undefined,
  /** Images waiting in the composer. @type {{ file: File, url: string }[]} */ attachments: [],
};
const MAX_ATTACHMENTS = 9;

/** @param {string} id @returns {HTMLElement} */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const list = $('messages');
const textEl = /** @type {HTMLTextAreaElement} */ ($('text'));
const errorEl = $('error');

// ---------- rendering helpers ----------

/** @param {string} s */
function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** @param {string} openId */
function nameOf(openId) {
  if (openId === state.bot.openId) return state.bot.name;
  return state.users.find((u) => u.openId === openId)?.name ?? openId;
}

const AT_TAG = /<at\s+(?:user_id|open_id|id)\s*=\s*"([^"]*)"\s*>([^<]*)<\/at>/g;

/**
 * Escapes text and turns `<at user_id="…"></at>` and mention keys (@_user_1) into @name.
 * @param {string} text
 * @param {ChatMessage['mentions']} [mentions]
 * @param {(escaped: string) => string} [format] applied to the escaped text between mentions
 */
function richText(text, mentions, format = (s) => s) {
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
function markdown(s) {
  return s
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label, url) =>
      /^(https?:\/\/|\/)/.test(url)
        ? `<a href="${url}" target="_blank" rel="noopener noreferrer">${label}</a>`
        : whole,
    )
    .replace(/\n/g, '<br>');
}

/** @param {ChatMessage} m */
function snippet(m) {
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
function postBody(c) {
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
function mentionName(m, key) {
  return m.mentions?.find((x) => x.key === key)?.name ?? key;
}

/** @param {string} key */
const imageUrl = (key) => `/sandbox/images/${encodeURIComponent(key)}`;

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

/** @param {string} id */
function avatarColor(id) {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return AVATAR_COLORS[h % AVATAR_COLORS.length];
}

/** @param {Sender} sender */
function avatarHtml(sender) {
  if (sender.type === 'app')
    return '<span class="avatar" style="background:linear-gradient(135deg,#4e83fd,#7f3bf5)" aria-hidden="true">即</span>';
  const initial = [...sender.name][0] === '管' ? '管' : ([...sender.name].at(-1) ?? '?');
  return `<span class="avatar" style="background:${avatarColor(sender.id)}" aria-hidden="true">${escapeHtml(initial)}</span>`;
}

/** @param {any} t a text object ({tag: 'plain_text' | 'lark_md', content}) */
const plain = (t) => (t && typeof t === 'object' ? String(t.content ?? '') : typeof t === 'string' ? t : '');

/** A component's callback value: `behaviors: [{type: 'callback', value}]` (JSON 2.0) or a legacy `value`. @param {any} el */
function callbackValue(el) {
  const b = Array.isArray(el.behaviors) ? el.behaviors.find((x) => x?.type === 'callback') : undefined;
  if (b?.value && typeof b.value === 'object') return b.value;
  if (el.value && typeof el.value === 'object') return el.value;
  return undefined;
}

/** @param {any} el */
function openUrlOf(el) {
  const b = Array.isArray(el.behaviors) ? el.behaviors.find((x) => x?.type === 'open_url') : undefined;
  const url = b?.default_url ?? el.url ?? el.multi_url?.url;
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
}

/**
 * A card button (JSON 2.0 `tag: 'button'`): a callback button, a form's submit/reset button, or a link.
 * @param {any} el @param {boolean} inForm
 */
function buttonHtml(el, inForm) {
  const type = String(el.type ?? 'default').replace(/[^a-z_]/g, '');
  const cls = `card-btn b-${type}${el.width === 'fill' ? ' fill' : ''}`;
  const text = escapeHtml(plain(el.text) || '按钮');
  const tip = plain(el.disabled ? el.disabled_tips : el.hover_tips);
  const title = tip ? ` title="${escapeHtml(tip)}"` : '';
  const value = callbackValue(el);
  const data = [
    value ? ` data-value="${escapeHtml(JSON.stringify(value))}"` : '',
    el.name ? ` data-name="${escapeHtml(String(el.name))}"` : '',
    el.confirm
      ? ` data-confirm="${escapeHtml(`${plain(el.confirm.title)}\n${plain(el.confirm.text)}`.trim())}"`
      : '',
  ].join('');
  const disabled = el.disabled ? ' disabled' : '';
  if (inForm && el.form_action_type === 'reset')
    return `<button type="reset" class="${cls}"${title}${disabled}>${text}</button>`;
  if (inForm && el.form_action_type === 'submit')
    return `<button type="submit" class="${cls}" data-card-submit${data}${title}${disabled}>${text}</button>`;
  const url = openUrlOf(el);
  if (url && !value)
    return `<a class="${cls}" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer"${title}>${text}</a>`;
  return `<button type="button" class="${cls}"${value ? ' data-card-action' : ' disabled'}${data}${title}${disabled}>${text}</button>`;
}

/** A card input (`tag: 'input'`; multi-line with `input_type: 'multiline_text'`). @param {any} el */
function inputHtml(el) {
  const label = plain(el.label);
  const name = escapeHtml(String(el.name ?? ''));
  const ph = escapeHtml(plain(el.placeholder));
  const max = Number.isInteger(el.max_length) ? ` maxlength="${el.max_length}"` : '';
  const req = el.required ? ' required' : '';
  const dis = el.disabled ? ' disabled' : '';
  const value = String(el.default_value ?? '');
  const field =
    el.input_type === 'multiline_text'
      ? `<textarea name="${name}" rows="${Number(el.rows) > 0 ? Number(el.rows) : 3}" placeholder="${ph}"${max}${req}${dis}>${escapeHtml(value)}</textarea>`
      : `<input type="${el.input_type === 'password' ? 'password' : 'text'}" name="${name}" value="${escapeHtml(value)}" placeholder="${ph}"${max}${req}${dis}>`;
  return `<label class="card-input">${label ? `<span>${escapeHtml(label)}</span>` : ''}${field}</label>`;
}

/** @param {any} el one element of a card body @param {boolean} [inForm] inside a form container */
function cardElement(el, inForm = false) {
  if (!el || typeof el !== 'object') return '';
  /** @param {any[]} list */
  const all = (list) => list.map((x) => cardElement(x, inForm)).join('');
  switch (el.tag) {
    case 'markdown':
    case 'lark_md':
      return `<div class="md">${richText(String(el.content ?? ''), [], markdown)}</div>`;
    case 'plain_text':
      return `<div class="plain">${escapeHtml(String(el.content ?? ''))}</div>`;
    case 'hr':
      return '<hr>';
    case 'button':
      return buttonHtml(el, inForm);
    case 'input':
      return inputHtml(el);
    case 'form':
      return `<form class="card-form" data-form-name="${escapeHtml(String(el.name ?? ''))}">${(
        el.elements ?? []
      )
        .map((/** @type {any} */ x) => cardElement(x, true))
        .join('')}</form>`;
    case 'action': // card JSON 1.0: buttons in an action module
      return `<div class="card-row">${all(el.actions ?? [])}</div>`;
    case 'column_set':
      return `<div class="card-row">${(el.columns ?? [])
        .map((/** @type {any} */ c) => `<div class="card-col">${all(c?.elements ?? [])}</div>`)
        .join('')}</div>`;
    case 'note':
      return `<div class="note">${all(el.elements ?? [])}</div>`;
    case 'img':
      return el.img_key
        ? `<img class="card-img" src="${imageUrl(el.img_key)}" alt="${escapeHtml(plain(el.alt))}">`
        : '';
  }
  if (el.tag === 'div' && el.text) {
    const t = el.text;
    const body =
      t.tag === 'lark_md'
        ? richText(String(t.content ?? ''), [], markdown)
        : escapeHtml(String(t.content ?? ''));
    return `<div class="${t.tag === 'lark_md' ? 'md' : 'plain'}">${body}</div>`;
  }
  if (Array.isArray(el.elements)) return all(el.elements);
  if (Array.isArray(el.columns)) return all(el.columns);
  return `<div class="unknown">[${escapeHtml(String(el.tag))}]</div>`;
}

/** @param {any} card Feishu card JSON (2.0, or 1.0 with top-level elements) */
function cardHtml(card) {
  const header = card?.header;
  const title = header?.title?.content;
  const template = String(header?.template ?? 'default').replace(/[^a-z]/g, '');
  const elements = card?.body?.elements ?? card?.elements ?? [];
  return `<div class="card">${
    title ? `<div class="card-header t-${template}">${escapeHtml(String(title))}</div>` : ''
  }<div class="card-body">${elements.map((/** @type {any} */ e) => cardElement(e)).join('')}</div></div>`;
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
function messageElement(m) {
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

// ---------- scrolling: follow new messages unless the user scrolled up ----------

const jump = $('jump');
let stickToBottom = true;
let lastTop = 0;
const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 80;
// Only the user scrolling up lets go of the bottom: content growing under a scroll (an image loading
// before the scroll event of our own jump is dispatched) must not count as "scrolled up".
function syncScroll() {
  const top = list.scrollTop;
  if (nearBottom()) stickToBottom = true;
  else if (top < lastTop) stickToBottom = false;
  lastTop = top;
  if (stickToBottom) jump.hidden = true;
}
list.addEventListener('scroll', syncScroll);
function keepBottom() {
  if (!stickToBottom) return;
  list.scrollTop = list.scrollHeight;
  lastTop = list.scrollTop;
}
/** Something changed size: follow it, unless the user has scrolled up (even if that scroll's event is still to come). */
function follow() {
  syncScroll();
  keepBottom();
}
function stick() {
  stickToBottom = true;
  lastTop = list.scrollTop;
  jump.hidden = true;
}
/** Any message growing (an image or video loading, a card patched) or the list resizing. */
const sizes = new ResizeObserver(() => follow());
sizes.observe(list);
jump.addEventListener('click', () => {
  stick();
  keepBottom();
});

function renderAll() {
  sizes.disconnect();
  sizes.observe(list);
  list.replaceChildren(...[...state.messages.values()].map(messageElement));
  $('empty').hidden = state.messages.size > 0;
  stick();
  keepBottom();
}

/**
 * What a user typed into a card's form fields survives the card being re-rendered (a patch).
 * @param {Element} from @param {Element} to
 */
function keepFormInput(from, to) {
  for (const f of from.querySelectorAll('.card-form input[name], .card-form textarea[name]')) {
    const field = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (f);
    if (field.value === field.defaultValue) continue;
    const twin = to.querySelector(`.card-form [name="${CSS.escape(field.name)}"]`);
    if (twin) /** @type {HTMLInputElement} */ (twin).value = field.value;
  }
}

/** @param {ChatMessage} m */
function upsert(m) {
  const isNew = !state.messages.has(m.id);
  syncScroll();
  state.messages.set(m.id, m);
  const el = messageElement(m);
  const old = list.querySelector(`li[data-id="${CSS.escape(m.id)}"]`);
  if (old) {
    keepFormInput(old, el);
    sizes.unobserve(old);
    old.replaceWith(el);
  } else list.append(el);
  $('empty').hidden = true;
  if (isNew && m.sender.id === state.user) stick();
  if (isNew && !stickToBottom) jump.hidden = false;
  keepBottom();
}

// ---------- users, reply, knobs ----------

function renderUsers() {
  if (!state.users.some((u) => u.openId === state.user)) state.user = state.users[0]?.openId ?? '';
  $('users').innerHTML = state.users
    .map(
      (u) =>
        `<label class="user-option"><input type="radio" name="user" value="${escapeHtml(u.openId)}"${
          u.openId === state.user ? ' checked' : ''
        }>${avatarHtml({ type: 'user', id: u.openId, name: u.name })}<span>${escapeHtml(u.name)}</span>${
          u.admin ? '<span class="tag">管理员</span>' : ''
        }</label>`,
    )
    .join('');
  updatePlaceholder();
}

const narrow = window.matchMedia('(max-width: 800px)');
narrow.addEventListener('change', () => updatePlaceholder());
function updatePlaceholder() {
  const name = nameOf(state.user);
  textEl.placeholder = narrow.matches
    ? `以「${name}」发消息`
    : `以「${name}」的身份发消息，输入 @ 提及成员，Enter 发送`;
  $('drawer-user').textContent = nameOf(state.user);
}

$('users').addEventListener('change', (e) => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  state.user = input.value;
  localStorage.setItem('sandbox.user', state.user);
  updatePlaceholder();
  for (const li of list.querySelectorAll('li.msg')) {
    const m = state.messages.get(/** @type {HTMLElement} */ (li).dataset.id ?? '');
    li.classList.toggle('mine', m?.sender.id === state.user);
  }
});

/** @param {string | undefined} id */
function setReply(id) {
  state.replyTo = id && state.messages.has(id) ? id : undefined;
  const m = state.replyTo ? state.messages.get(state.replyTo) : undefined;
  $('reply-bar').hidden = !m;
  $('reply-text').textContent = m ? `回复 ${m.sender.name}：${snippet(m)}` : '';
  if (m) textEl.focus();
}

$('reply-cancel').addEventListener('click', () => setReply(undefined));

list.addEventListener('click', (e) => {
  const target = /** @type {HTMLElement} */ (e.target);
  const action = target.closest('button[data-card-action]');
  if (action instanceof HTMLElement) return void clickCard(action);
  const reply = target.closest('[data-reply]');
  if (reply instanceof HTMLElement) return setReply(reply.dataset.reply);
  const go = target.closest('[data-goto]');
  if (go instanceof HTMLElement) {
    const li = list.querySelector(`li[data-id="${CSS.escape(go.dataset.goto ?? '')}"]`);
    if (!li) return;
    li.scrollIntoView({ behavior: 'smooth', block: 'center' });
    li.classList.add('highlight');
    setTimeout(() => li.classList.remove('highlight'), 1500);
  }
});

/** @param {Knobs} k */
function renderKnobs(k) {
  const seconds = k.generationMs / 1000;
  const range = /** @type {HTMLInputElement} */ ($('gen-range'));
  const num = /** @type {HTMLInputElement} */ ($('gen-seconds'));
  if (document.activeElement !== num) num.value = String(seconds);
  if (document.activeElement !== range) range.value = String(Math.round(seconds));
  const pending = k.pendingFaults.map((f) => FAULT_LABELS[f] ?? f);
  if (k.failNextTasks > 0) pending.push(`生成失败 ×${k.failNextTasks}`);
  $('faults-status').textContent = pending.length ? `待触发：${pending.join('、')}` : '没有待触发的故障';
}

// ---------- talking to the server ----------

/** @param {string} text */
function showError(text) {
  errorEl.textContent = text;
  errorEl.hidden = !text;
}

/**
 * @param {string} url
 * @param {RequestInit} init
 */
async function post(url, init) {
  const res = await fetch(url, { method: 'POST', ...init });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** @param {unknown} data */
const json = (data) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });

/** @param {string} url @param {File} file */
const postImage = (url, file) =>
  post(`${url}?user=${encodeURIComponent(state.user)}`, {
    headers: { 'content-type': file.type },
    body: file,
  });

/**
 * Sends what is in the composer: a text; one image alone as an image message (then a reply to it is
 * prepared: image-to-video); images with text, or several images, as one post.
 */
async function sendText() {
  const text = textEl.value.trim();
  const files = state.attachments.map((a) => a.file);
  if (!text && files.length === 0) return;
  const send = /** @type {HTMLButtonElement} */ ($('send'));
  send.disabled = true;
  try {
    if (files.length === 1 && !text) {
      const { messageId } = await postImage('/sandbox/images', /** @type {File} */ (files[0]));
      clearAttachments();
      showError('');
      // Image-to-video is a reply to the image: get the reply ready.
      await waitFor(() => state.messages.has(messageId));
      setReply(messageId);
      textEl.value = '/video ';
      autoGrow();
      return;
    }
    const images = [];
    for (const f of files) images.push((await postImage('/sandbox/uploads', f)).imageKey);
    await post('/sandbox/messages', json({ user: state.user, text, parentId: state.replyTo, images }));
    textEl.value = '';
    autoGrow();
    clearAttachments();
    setReply(undefined);
    showError('');
  } catch (err) {
    showError(`发送失败：${/** @type {Error} */ (err).message}`);
  } finally {
    send.disabled = false;
    textEl.focus();
  }
}

$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  void sendText();
});

textEl.addEventListener('keydown', (e) => {
  if (picker.open && pickerKey(e)) return;
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    void sendText();
  }
});

function autoGrow() {
  textEl.style.height = 'auto';
  textEl.style.height = `${Math.min(textEl.scrollHeight, 160)}px`;
}
textEl.addEventListener('input', () => {
  autoGrow();
  updatePicker();
});

// ---------- images waiting in the composer ----------

const imageInput = /** @type {HTMLInputElement} */ ($('image-input'));
const tray = $('attachments');

/** @param {Iterable<File>} files */
function addAttachments(files) {
  for (const file of files) {
    if (file.type !== 'image/png' && file.type !== 'image/jpeg') return showError('只支持 PNG 或 JPEG 图片');
    if (file.size > 10 * 1024 * 1024) return showError('图片不能超过 10 MB');
    if (state.attachments.length >= MAX_ATTACHMENTS)
      return showError(`一条消息最多 ${MAX_ATTACHMENTS} 张图片`);
    state.attachments.push({ file, url: URL.createObjectURL(file) });
  }
  showError('');
  renderTray();
  textEl.focus();
}

function clearAttachments() {
  for (const a of state.attachments) URL.revokeObjectURL(a.url);
  state.attachments = [];
  renderTray();
}

function renderTray() {
  tray.hidden = state.attachments.length === 0;
  tray.innerHTML = state.attachments
    .map(
      (a, i) =>
        `<li><img src="${a.url}" alt="待发送的图片 ${i + 1}"><button type="button" class="remove" data-remove="${i}" aria-label="移除图片 ${i + 1}">×</button></li>`,
    )
    .join('');
  if (state.attachments.length > 1)
    tray.insertAdjacentHTML(
      'beforeend',
      `<li class="tray-hint">${state.attachments.length} 张图片将和文字作为一条消息发出（两张 = 首帧 + 尾帧）</li>`,
    );
}

tray.addEventListener('click', (e) => {
  const b = /** @type {HTMLElement} */ (e.target).closest('[data-remove]');
  if (!(b instanceof HTMLElement)) return;
  const [gone] = state.attachments.splice(Number(b.dataset.remove), 1);
  if (gone) URL.revokeObjectURL(gone.url);
  renderTray();
});

imageInput.addEventListener('change', () => {
  const files = [...(imageInput.files ?? [])];
  imageInput.value = '';
  addAttachments(files);
});

textEl.addEventListener('paste', (e) => {
  const files = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
  if (files.length === 0) return;
  e.preventDefault();
  addAttachments(files);
});

// ---------- @ mentions ----------

const mentionList = $('mention-list');
const picker = {
  open: false,
  /** @type {Member[]} */ items: [],
  index: 0,
  /** Where the "@query" being typed starts. */ start: 0,
};

/** Everyone in the chat: the bot and the simulated users. @returns {Member[]} */
function members() {
  return [
    { openId: state.bot.openId, name: state.bot.name, bot: true },
    ...state.users.map((u) => ({ openId: u.openId, name: u.name, admin: u.admin })),
  ];
}

/** The "@query" right before the caret, if any. */
function mentionQuery() {
  const caret = textEl.selectionStart ?? textEl.value.length;
  if (caret !== textEl.selectionEnd) return undefined;
  const m = /(^|[^\w@])@([^\s@]{0,20})$/u.exec(textEl.value.slice(0, caret));
  return m ? { start: caret - (m[2]?.length ?? 0) - 1, query: m[2] ?? '' } : undefined;
}

function updatePicker() {
  const q = mentionQuery();
  if (!q) return closePicker();
  const needle = q.query.toLowerCase();
  const items = members().filter((x) => x.name.toLowerCase().includes(needle));
  if (items.length === 0) return closePicker();
  items.sort(
    (a, b) =>
      Number(!a.name.toLowerCase().startsWith(needle)) - Number(!b.name.toLowerCase().startsWith(needle)),
  );
  picker.open = true;
  picker.items = items;
  picker.start = q.start;
  picker.index = Math.min(picker.index, items.length - 1);
  renderPicker();
}

function renderPicker() {
  mentionList.hidden = !picker.open;
  mentionList.innerHTML = picker.items
    .map(
      (x, i) =>
        `<div role="option" id="mention-${i}" data-index="${i}" aria-selected="${i === picker.index}">${avatarHtml(
          {
            type: x.bot ? 'app' : 'user',
            id: x.openId,
            name: x.name,
          },
        )}<span class="name">${escapeHtml(x.name)}</span>${
          x.bot ? '<span class="tag bot">机器人</span>' : x.admin ? '<span class="tag">管理员</span>' : ''
        }</div>`,
    )
    .join('');
  if (picker.open) textEl.setAttribute('aria-activedescendant', `mention-${picker.index}`);
  else textEl.removeAttribute('aria-activedescendant');
}

function closePicker() {
  if (!picker.open) return;
  picker.open = false;
  picker.items = [];
  picker.index = 0;
  renderPicker();
}

/** Puts "@name " in place of the "@query" being typed. @param {Member} member */
function chooseMention(member) {
  const caret = textEl.selectionStart ?? textEl.value.length;
  const insert = `@${member.name} `;
  textEl.value = textEl.value.slice(0, picker.start) + insert + textEl.value.slice(caret);
  const at = picker.start + insert.length;
  textEl.setSelectionRange(at, at);
  closePicker();
  autoGrow();
  textEl.focus();
}

/** Arrow keys, Enter/Tab and Escape while the picker is open; true when the key was used. @param {KeyboardEvent} e */
function pickerKey(e) {
  if (e.isComposing) return false;
  const n = picker.items.length;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    picker.index = (picker.index + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
    renderPicker();
  } else if (e.key === 'Enter' || e.key === 'Tab') {
    const m = picker.items[picker.index];
    if (m) chooseMention(m);
  } else if (e.key === 'Escape') closePicker();
  else return false;
  e.preventDefault();
  return true;
}

mentionList.addEventListener('mousedown', (e) => {
  const li = /** @type {HTMLElement} */ (e.target).closest('[data-index]');
  if (!(li instanceof HTMLElement)) return;
  e.preventDefault(); // keep the focus in the composer
  const m = picker.items[Number(li.dataset.index)];
  if (m) chooseMention(m);
});
textEl.addEventListener('blur', () => setTimeout(closePicker, 150));
textEl.addEventListener('click', updatePicker);
$('at-button').addEventListener('click', () => {
  const caret = textEl.selectionStart ?? textEl.value.length;
  const before = textEl.value.slice(0, caret);
  const pad = before && !/\s$/.test(before) ? ' ' : '';
  textEl.value = `${before}${pad}@${textEl.value.slice(caret)}`;
  const at = caret + pad.length + 1;
  textEl.focus();
  textEl.setSelectionRange(at, at);
  updatePicker();
});

// ---------- card buttons and forms ----------

const toasts = $('toasts');
/** Shows a toast like the Feishu client does for a callback's answer. @param {string} type @param {string} text */
function toast(type, text) {
  const el = document.createElement('div');
  el.className = `toast t-${String(type).replace(/[^a-z]/g, '')}`;
  el.textContent = text;
  toasts.append(el);
  setTimeout(() => el.remove(), 4000);
}

/**
 * A click on a card button, or a form submit (with its fields as formValue), sent to the page's server,
 * which delivers it to the bot as Feishu's signed card callback.
 * @param {HTMLElement} button @param {Record<string, string>} [formValue]
 */
async function clickCard(button, formValue) {
  const li = button.closest('li[data-id]');
  if (!(li instanceof HTMLElement)) return;
  const ask = button.dataset.confirm;
  if (ask && !window.confirm(ask)) return;
  const b = /** @type {HTMLButtonElement} */ (button);
  b.disabled = true;
  b.classList.add('loading');
  try {
    const body = {
      user: state.user,
      messageId: li.dataset.id,
      tag: 'button',
      value: button.dataset.value ? JSON.parse(button.dataset.value) : {},
      ...(button.dataset.name ? { name: button.dataset.name } : {}),
      ...(formValue ? { formValue } : {}),
    };
    const answer = await post('/sandbox/card-actions', json(body));
    if (answer.toast) toast(answer.toast.type, answer.toast.content);
  } catch (err) {
    toast('error', `操作失败：${/** @type {Error} */ (err).message}`);
  } finally {
    // The card may have been re-rendered meanwhile; this only matters when it was not.
    b.disabled = false;
    b.classList.remove('loading');
  }
}

list.addEventListener('submit', (e) => {
  const form = e.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains('card-form')) return;
  e.preventDefault();
  const submitter = /** @type {SubmitEvent} */ (e).submitter ?? form.querySelector('[data-card-submit]');
  if (!(submitter instanceof HTMLElement)) return;
  /** @type {Record<string, string>} */
  const values = {};
  for (const [k, v] of new FormData(form)) if (typeof v === 'string' && k) values[k] = v;
  void clickCard(submitter, values);
});

/** @param {() => boolean} check */
async function waitFor(check, ms = 3000) {
  for (const until = Date.now() + ms; !check() && Date.now() < until; )
    await new Promise((r) => setTimeout(r, 50));
}

for (const chip of document.querySelectorAll('#hints [data-text]')) {
  chip.addEventListener('click', () => {
    const el = /** @type {HTMLElement} */ (chip);
    if (el.dataset.admin) {
      const admin = state.users.find((u) => u.admin);
      if (admin && !state.users.find((u) => u.openId === state.user)?.admin) {
        /** @type {HTMLInputElement | null} */ (
          document.querySelector(`input[name="user"][value="${admin.openId}"]`)
        )?.click();
      }
    }
    textEl.value = el.dataset.text ?? '';
    autoGrow();
    textEl.focus();
  });
}

/** @param {Record<string, unknown>} body */
async function setKnobs(body) {
  try {
    renderKnobs(await post('/sandbox/knobs', json(body)));
    showError('');
  } catch (err) {
    showError(`设置失败：${/** @type {Error} */ (err).message}`);
  }
}

const genRange = /** @type {HTMLInputElement} */ ($('gen-range'));
const genSeconds = /** @type {HTMLInputElement} */ ($('gen-seconds'));
genRange.addEventListener('input', () => {
  genSeconds.value = genRange.value;
});
genRange.addEventListener(
  'change',
  () => void setKnobs({ generationMs: Math.round(Number(genRange.value) * 1000) }),
);
genSeconds.addEventListener('change', () => {
  const s = Number(genSeconds.value);
  if (Number.isFinite(s) && s >= 0 && s <= 600) void setKnobs({ generationMs: Math.round(s * 1000) });
  else showError('生成耗时必须在 0–600 秒之间');
});
$('gen-form').addEventListener('submit', (e) => e.preventDefault());
for (const b of document.querySelectorAll('[data-fault]')) {
  b.addEventListener('click', () => void setKnobs({ fault: /** @type {HTMLElement} */ (b).dataset.fault }));
}
$('clear-faults').addEventListener('click', () => void setKnobs({ clearFaults: true }));

// ---------- the settings drawer (narrow screens) ----------

const drawerToggle = $('drawer-toggle');
/** @param {boolean} open */
function setDrawer(open) {
  document.body.classList.toggle('drawer-open', open);
  drawerToggle.setAttribute('aria-expanded', String(open));
  $('backdrop').hidden = !open;
  if (open) /** @type {HTMLElement | null} */ (document.querySelector('#users input:checked'))?.focus();
}
drawerToggle.addEventListener('click', () => setDrawer(!document.body.classList.contains('drawer-open')));
$('drawer-close').addEventListener('click', () => {
  setDrawer(false);
  drawerToggle.focus();
});
$('backdrop').addEventListener('click', () => setDrawer(false));
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && document.body.classList.contains('drawer-open')) setDrawer(false);
});

// ---------- live updates ----------

function connect() {
  const conn = $('conn');
  const events = new EventSource('/sandbox/events');
  events.addEventListener('open', () => {
    conn.textContent = '已连接';
    conn.className = 'conn ok';
  });
  events.addEventListener('error', () => {
    conn.textContent = events.readyState === EventSource.CLOSED ? '已断开' : '重新连接中…';
    conn.className = 'conn bad';
  });
  events.addEventListener('snapshot', (e) => {
    /** @type {Snapshot} */
    const snap = JSON.parse(/** @type {MessageEvent} */ (e).data);
    state.users = snap.users;
    state.bot = snap.bot;
    state.clip = snap.simulatorClip;
    if (snap.simulatorClip) {
      const c = snap.simulatorClip;
      $('sim-clip').textContent =
        `模拟器不会真的生成视频：无论选择什么比例、时长和清晰度，返回的都是同一段 ${c.seconds} 秒 ${c.width}×${c.height} 的测试画面。`;
    }
    $('bot-name').textContent = snap.bot.name;
    state.messages = new Map(snap.messages.map((m) => [m.id, m]));
    renderUsers();
    renderAll();
    renderKnobs(snap.knobs);
    document.body.dataset.ready = '1';
  });
  events.addEventListener('message', (e) => upsert(JSON.parse(/** @type {MessageEvent} */ (e).data)));
  events.addEventListener('patch', (e) => upsert(JSON.parse(/** @type {MessageEvent} */ (e).data)));
  events.addEventListener('knobs', (e) => renderKnobs(JSON.parse(/** @type {MessageEvent} */ (e).data)));
}

connect();
