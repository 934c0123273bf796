// @ts-check
/** Talking to the page's server: JSON posts, image uploads as the page's user, and the composer's error line. */
import { $ } from './dom.js';
import { state } from './state.js';

const errorEl = $('error');

/** @param {string} text */
export function showError(text) {
  errorEl.textContent = text;
  errorEl.hidden = !text;
}

/**
 * @param {string} url
 * @param {RequestInit} init
 */
export async function post(url, init) {
  const res = await fetch(url, { method: 'POST', ...init });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** @param {unknown} data */
export const json = (data) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(data),
});

/** @param {string} url @param {File} file */
export const postImage = (url, file) =>
  post(`${url}?user=${encodeURIComponent(state.user)}`, {
    headers: { 'content-type': file.type },
    body: file,
  });
