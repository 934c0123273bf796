// @ts-check
/** Scrolling: the list follows new messages (and content growing) unless the user scrolled up; ↓ 有新消息 then. */
import { $, list } from './dom.js';

const jump = $('jump');
let stickToBottom = true;
let lastTop = 0;
const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 80;
// Only the user scrolling up lets go of the bottom: content growing under a scroll (an image loading
// before the scroll event of our own jump is dispatched) must not count as "scrolled up".
export function syncScroll() {
  const top = list.scrollTop;
  if (nearBottom()) stickToBottom = true;
  else if (top < lastTop) stickToBottom = false;
  lastTop = top;
  if (stickToBottom) jump.hidden = true;
}
export function keepBottom() {
  if (!stickToBottom) return;
  list.scrollTop = list.scrollHeight;
  lastTop = list.scrollTop;
}
/** Something changed size: follow it, unless the user has scrolled up (even if that scroll's event is still to come). */
export function follow() {
  syncScroll();
  keepBottom();
}
/** Back to following the bottom (after rendering everything, or the page's user sending a message). */
export function stick() {
  stickToBottom = true;
  lastTop = list.scrollTop;
  jump.hidden = true;
}
/** A new message came while the user is reading further up: ↓ 有新消息. */
export function showJumpIfScrolledUp() {
  if (!stickToBottom) jump.hidden = false;
}
/** Any message growing (an image or video loading, a card patched) or the list resizing. */
export const sizes = new ResizeObserver(() => follow());

export function wireScroll() {
  list.addEventListener('scroll', syncScroll);
  sizes.observe(list);
  jump.addEventListener('click', () => {
    stick();
    keepBottom();
  });
}
