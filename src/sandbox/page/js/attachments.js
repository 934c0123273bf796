// @ts-check
/** Images waiting in the composer (🖼️ or pasted): the tray above the text box, sent with the next message. */
import { $, textEl } from './dom.js';
import { showError } from './server.js';
import { state } from './state.js';

const MAX_ATTACHMENTS = 9;
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

export function clearAttachments() {
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

export function wireAttachments() {
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
}
