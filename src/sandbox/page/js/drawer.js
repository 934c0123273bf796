// @ts-check
/** The settings drawer (narrow screens): 👤 opens the identity and simulator panels over the chat. */
import { $ } from './dom.js';

const drawerToggle = $('drawer-toggle');

/** @param {boolean} open */
function setDrawer(open) {
  document.body.classList.toggle('drawer-open', open);
  drawerToggle.setAttribute('aria-expanded', String(open));
  $('backdrop').hidden = !open;
  if (open) /** @type {HTMLElement | null} */ (document.querySelector('#users input:checked'))?.focus();
}

export function wireDrawer() {
  drawerToggle.addEventListener('click', () => setDrawer(!document.body.classList.contains('drawer-open')));
  $('drawer-close').addEventListener('click', () => {
    setDrawer(false);
    drawerToggle.focus();
  });
  $('backdrop').addEventListener('click', () => setDrawer(false));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('drawer-open')) setDrawer(false);
  });
}
