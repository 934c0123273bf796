// @ts-check
/** Card buttons and forms: a click or submit goes to the bot as Feishu's card callback; its answer is a toast. */
import { $, list } from './dom.js';
import { json, post } from './server.js';
import { state } from './state.js';

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

export function wireCards() {
  list.addEventListener('click', (e) => {
    const action = /** @type {HTMLElement} */ (e.target).closest('button[data-card-action]');
    if (action instanceof HTMLElement) void clickCard(action);
  });

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
}
