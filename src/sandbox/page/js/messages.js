// @ts-check
/** The message list: all of it from a snapshot, and one message added or re-rendered (a card patched). */
import { $, list } from './dom.js';
import { messageElement } from './render.js';
import { keepBottom, showJumpIfScrolledUp, sizes, stick, syncScroll } from './scroll.js';
import { state } from './state.js';

/** @typedef {import('./state.js').ChatMessage} ChatMessage */

export function renderAll() {
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
export function upsert(m) {
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
  if (isNew) showJumpIfScrolledUp();
  keepBottom();
}
