// @ts-check
/** The composer: Enter sends the text, images, or both as one post; the quick-start chips fill it in. */
import { clearAttachments } from './attachments.js';
import { $, autoGrow, textEl } from './dom.js';
import { pickerKey, updatePicker } from './mentions.js';
import { setReply } from './reply.js';
import { json, post, postImage, showError } from './server.js';
import { state } from './state.js';

/** @param {() => boolean} check */
async function waitFor(check, ms = 3000) {
  for (const until = Date.now() + ms; !check() && Date.now() < until; )
    await new Promise((r) => setTimeout(r, 50));
}

/**
 * Sends what is in the composer: a text; one image alone as an image message (then a reply to it is
 * prepared: image-to-video); images with text, or several images, as one post.
 */
async function sendText() {
  const text = textEl.value.trim();
  const files = state.attachments.map((a) => a.file);
  if (!text && files.length === 0) return;
  const send = /** @type {HTMLButtonElement} */ ($('send'));
  send.disabled = true;
  try {
    if (files.length === 1 && !text) {
      const { messageId } = await postImage('/sandbox/images', /** @type {File} */ (files[0]));
      clearAttachments();
      showError('');
      // Image-to-video is a reply to the image: get the reply ready.
      await waitFor(() => state.messages.has(messageId));
      setReply(messageId);
      textEl.value = '/video ';
      autoGrow();
      return;
    }
    const images = [];
    for (const f of files) images.push((await postImage('/sandbox/uploads', f)).imageKey);
    await post('/sandbox/messages', json({ user: state.user, text, parentId: state.replyTo, images }));
    textEl.value = '';
    autoGrow();
    clearAttachments();
    setReply(undefined);
    showError('');
  } catch (err) {
    showError(`发送失败：${/** @type {Error} */ (err).message}`);
  } finally {
    send.disabled = false;
    textEl.focus();
  }
}

export function wireComposer() {
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    void sendText();
  });

  textEl.addEventListener('keydown', (e) => {
    if (pickerKey(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      void sendText();
    }
  });

  textEl.addEventListener('input', () => {
    autoGrow();
    updatePicker();
  });

  // The quick-start chips: the admin-only ones switch to an admin first.
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
}
