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
 * @typedef {{ chatId: string, bot: { name: string, openId: string }, users: User[],
 *   messages: ChatMessage[], knobs: Knobs }} Snapshot
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
};

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
    return String(m.content?.text ?? '').replace(AT_TAG, (_w, id, n) => `@${n || nameOf(id)}`);
  if (m.msgType === 'image') return '[图片]';
  if (m.msgType === 'media') return '[视频]';
  if (m.msgType === 'file') return '[文件]';
  if (m.msgType === 'interactive') return `[卡片] ${m.content?.header?.title?.content ?? ''}`;
  return `[${m.msgType}]`;
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

/** @param {any} el one element of a card body */
function cardElement(el) {
  if (!el || typeof el !== 'object') return '';
  if (el.tag === 'markdown' || el.tag === 'lark_md')
    return `<div class="md">${richText(String(el.content ?? ''), [], markdown)}</div>`;
  if (el.tag === 'div' && el.text) {
    const t = el.text;
    const body =
      t.tag === 'lark_md'
        ? richText(String(t.content ?? ''), [], markdown)
        : escapeHtml(String(t.content ?? ''));
    return `<div class="${t.tag === 'lark_md' ? 'md' : 'plain'}">${body}</div>`;
  }
  if (el.tag === 'hr') return '<hr>';
  if (el.tag === 'plain_text') return `<div class="plain">${escapeHtml(String(el.content ?? ''))}</div>`;
  if (Array.isArray(el.elements)) return el.elements.map(cardElement).join('');
  if (Array.isArray(el.columns)) return el.columns.map(cardElement).join('');
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
  }<div class="card-body">${elements.map(cardElement).join('')}</div></div>`;
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
      return `<div class="image-msg"><img src="/sandbox/images/${encodeURIComponent(c.image_key ?? '')}" alt="${escapeHtml(m.sender.name)} 发送的图片"></div>`;
    case 'media': {
      const poster = c.image_key ? ` poster="/sandbox/images/${encodeURIComponent(c.image_key)}"` : '';
      return `<div class="media"><video controls preload="metadata" playsinline${poster} src="/sandbox/files/${encodeURIComponent(c.file_key ?? '')}"></video></div>`;
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
  for (const v of li.querySelectorAll('video, img'))
    v.addEventListener('loadedmetadata', keepBottom, { once: true });
  return li;
}

let stickToBottom = true;
list.addEventListener('scroll', () => {
  stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
});
function keepBottom() {
  if (stickToBottom) list.scrollTop = list.scrollHeight;
}

function renderAll() {
  list.replaceChildren(...[...state.messages.values()].map(messageElement));
  $('empty').hidden = state.messages.size > 0;
  stickToBottom = true;
  keepBottom();
}

/** @param {ChatMessage} m */
function upsert(m) {
  const isNew = !state.messages.has(m.id);
  state.messages.set(m.id, m);
  const el = messageElement(m);
  const old = list.querySelector(`li[data-id="${CSS.escape(m.id)}"]`);
  if (old) old.replaceWith(el);
  else list.append(el);
  $('empty').hidden = true;
  if (isNew && m.sender.id === state.user) stickToBottom = true;
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

function updatePlaceholder() {
  textEl.placeholder = `以「${nameOf(state.user)}」的身份发消息，Enter 发送，Shift+Enter 换行`;
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

async function sendText() {
  const text = textEl.value.trim();
  if (!text) return;
  const send = /** @type {HTMLButtonElement} */ ($('send'));
  send.disabled = true;
  try {
    await post('/sandbox/messages', json({ user: state.user, text, parentId: state.replyTo }));
    textEl.value = '';
    autoGrow();
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
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    void sendText();
  }
});

function autoGrow() {
  textEl.style.height = 'auto';
  textEl.style.height = `${Math.min(textEl.scrollHeight, 160)}px`;
}
textEl.addEventListener('input', autoGrow);

const imageInput = /** @type {HTMLInputElement} */ ($('image-input'));
imageInput.addEventListener('change', async () => {
  const file = imageInput.files?.[0];
  imageInput.value = '';
  if (!file) return;
  if (file.type !== 'image/png' && file.type !== 'image/jpeg') return showError('只支持 PNG 或 JPEG 图片');
  if (file.size > 10 * 1024 * 1024) return showError('图片不能超过 10 MB');
  try {
    const { messageId } = await post(`/sandbox/images?user=${encodeURIComponent(state.user)}`, {
      headers: { 'content-type': file.type },
      body: file,
    });
    showError('');
    // Image-to-video is a reply to the image: get the reply ready.
    await waitFor(() => state.messages.has(messageId));
    setReply(messageId);
    if (!textEl.value) textEl.value = '/video ';
  } catch (err) {
    showError(`图片发送失败：${/** @type {Error} */ (err).message}`);
  }
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
