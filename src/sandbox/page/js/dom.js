// @ts-check
/** The page's fixed elements that several modules use, and the composer's text box growing with its text. */

/** @param {string} id @returns {HTMLElement} */
export const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** The message list. */
export const list = $('messages');
export const textEl = /** @type {HTMLTextAreaElement} */ ($('text'));

export function autoGrow() {
  textEl.style.height = 'auto';
  textEl.style.height = `${Math.min(textEl.scrollHeight, 160)}px`;
}
