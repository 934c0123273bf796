// @ts-check
/** Who the page speaks as: the simulated users to pick from, the composer's placeholder, the drawer's 👤. */
import { $, list, textEl } from './dom.js';
import { avatarHtml, escapeHtml } from './html.js';
import { nameOf, state } from './state.js';

const narrow = window.matchMedia('(max-width: 800px)');

export function renderUsers() {
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
  const name = nameOf(state.user);
  textEl.placeholder = narrow.matches
    ? `以「${name}」发消息`
    : `以「${name}」的身份发消息，输入 @ 提及成员，Enter 发送`;
  $('drawer-user').textContent = nameOf(state.user);
}

export function wireUsers() {
  narrow.addEventListener('change', () => updatePlaceholder());
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
}
