// @ts-check
/** Replying: 回复 under a message fills the reply bar above the composer; a quote jumps to its message. */
import { $, list, textEl } from './dom.js';
import { snippet } from './snippet.js';
import { state } from './state.js';

/** @param {string | undefined} id */
export function setReply(id) {
  state.replyTo = id && state.messages.has(id) ? id : undefined;
  const m = state.replyTo ? state.messages.get(state.replyTo) : undefined;
  $('reply-bar').hidden = !m;
  $('reply-text').textContent = m ? `回复 ${m.sender.name}：${snippet(m)}` : '';
  if (m) textEl.focus();
}

export function wireReply() {
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
}
