// @ts-check
/** Mentions: typing "@" (or the @ button) opens a picker of the chat's members; choosing puts "@name ". */
import { $, autoGrow, textEl } from './dom.js';
import { avatarHtml, escapeHtml } from './html.js';
import { state } from './state.js';

/** @typedef {import('./state.js').Member} Member */

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

/** Opens, filters or closes the picker for the "@query" before the caret. */
export function updatePicker() {
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

/**
 * Arrow keys, Enter/Tab and Escape while the picker is open; true when the key was used (false when the
 * picker is closed).
 * @param {KeyboardEvent} e
 */
export function pickerKey(e) {
  if (!picker.open || e.isComposing) return false;
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

export function wireMentions() {
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
}
