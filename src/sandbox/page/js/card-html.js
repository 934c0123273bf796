// @ts-check
/** A Feishu card (JSON 2.0, or 1.0) as HTML: text, buttons, forms with inputs, columns, notes, images. */
import { escapeHtml, imageUrl, markdown, richText } from './html.js';

/** @param {any} t a text object ({tag: 'plain_text' | 'lark_md', content}) */
const plain = (t) => (t && typeof t === 'object' ? String(t.content ?? '') : typeof t === 'string' ? t : '');

/** A component's callback value: `behaviors: [{type: 'callback', value}]` (JSON 2.0) or a legacy `value`. @param {any} el */
function callbackValue(el) {
  const b = Array.isArray(el.behaviors)
    ? el.behaviors.find((/** @type {any} */ x) => x?.type === 'callback')
    : undefined;
  if (b?.value && typeof b.value === 'object') return b.value;
  if (el.value && typeof el.value === 'object') return el.value;
  return undefined;
}

/** @param {any} el */
function openUrlOf(el) {
  const b = Array.isArray(el.behaviors)
    ? el.behaviors.find((/** @type {any} */ x) => x?.type === 'open_url')
    : undefined;
  const url = b?.default_url ?? el.url ?? el.multi_url?.url;
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
}

/**
 * A card button (JSON 2.0 `tag: 'button'`): a callback button, a form's submit/reset button, or a link.
 * @param {any} el @param {boolean} inForm
 */
function buttonHtml(el, inForm) {
  const type = String(el.type ?? 'default').replace(/[^a-z_]/g, '');
  const cls = `card-btn b-${type}${el.width === 'fill' ? ' fill' : ''}`;
  const text = escapeHtml(plain(el.text) || '按钮');
  const tip = plain(el.disabled ? el.disabled_tips : el.hover_tips);
  const title = tip ? ` title="${escapeHtml(tip)}"` : '';
  const value = callbackValue(el);
  const data = [
    value ? ` data-value="${escapeHtml(JSON.stringify(value))}"` : '',
    el.name ? ` data-name="${escapeHtml(String(el.name))}"` : '',
    el.confirm
      ? ` data-confirm="${escapeHtml(`${plain(el.confirm.title)}\n${plain(el.confirm.text)}`.trim())}"`
      : '',
  ].join('');
  const disabled = el.disabled ? ' disabled' : '';
  if (inForm && el.form_action_type === 'reset')
    return `<button type="reset" class="${cls}"${title}${disabled}>${text}</button>`;
  if (inForm && el.form_action_type === 'submit')
    return `<button type="submit" class="${cls}" data-card-submit${data}${title}${disabled}>${text}</button>`;
  const url = openUrlOf(el);
  if (url && !value)
    return `<a class="${cls}" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer"${title}>${text}</a>`;
  return `<button type="button" class="${cls}"${value ? ' data-card-action' : ' disabled'}${data}${title}${disabled}>${text}</button>`;
}

/** A card input (`tag: 'input'`; multi-line with `input_type: 'multiline_text'`). @param {any} el */
function inputHtml(el) {
  const label = plain(el.label);
  const name = escapeHtml(String(el.name ?? ''));
  const ph = escapeHtml(plain(el.placeholder));
  const max = Number.isInteger(el.max_length) ? ` maxlength="${el.max_length}"` : '';
  const req = el.required ? ' required' : '';
  const dis = el.disabled ? ' disabled' : '';
  const value = String(el.default_value ?? '');
  const field =
    el.input_type === 'multiline_text'
      ? `<textarea name="${name}" rows="${Number(el.rows) > 0 ? Number(el.rows) : 3}" placeholder="${ph}"${max}${req}${dis}>${escapeHtml(value)}</textarea>`
      : `<input type="${el.input_type === 'password' ? 'password' : 'text'}" name="${name}" value="${escapeHtml(value)}" placeholder="${ph}"${max}${req}${dis}>`;
  return `<label class="card-input">${label ? `<span>${escapeHtml(label)}</span>` : ''}${field}</label>`;
}

/**
 * @param {any} el one element of a card body @param {boolean} [inForm] inside a form container
 * @returns {string}
 */
function cardElement(el, inForm = false) {
  if (!el || typeof el !== 'object') return '';
  /** @param {any[]} list @returns {string} */
  const all = (list) => list.map((x) => cardElement(x, inForm)).join('');
  switch (el.tag) {
    case 'markdown':
    case 'lark_md':
      return `<div class="md">${richText(String(el.content ?? ''), [], markdown)}</div>`;
    case 'plain_text':
      return `<div class="plain">${escapeHtml(String(el.content ?? ''))}</div>`;
    case 'hr':
      return '<hr>';
    case 'button':
      return buttonHtml(el, inForm);
    case 'input':
      return inputHtml(el);
    case 'form':
      return `<form class="card-form" data-form-name="${escapeHtml(String(el.name ?? ''))}">${(
        el.elements ?? []
      )
        .map((/** @type {any} */ x) => cardElement(x, true))
        .join('')}</form>`;
    case 'action': // card JSON 1.0: buttons in an action module
      return `<div class="card-row">${all(el.actions ?? [])}</div>`;
    case 'column_set':
      return `<div class="card-row">${(el.columns ?? [])
        .map((/** @type {any} */ c) => `<div class="card-col">${all(c?.elements ?? [])}</div>`)
        .join('')}</div>`;
    case 'note':
      return `<div class="note">${all(el.elements ?? [])}</div>`;
    case 'img':
      return el.img_key
        ? `<img class="card-img" src="${imageUrl(el.img_key)}" alt="${escapeHtml(plain(el.alt))}">`
        : '';
  }
  if (el.tag === 'div' && el.text) {
    const t = el.text;
    const body =
      t.tag === 'lark_md'
        ? richText(String(t.content ?? ''), [], markdown)
        : escapeHtml(String(t.content ?? ''));
    return `<div class="${t.tag === 'lark_md' ? 'md' : 'plain'}">${body}</div>`;
  }
  if (Array.isArray(el.elements)) return all(el.elements);
  if (Array.isArray(el.columns)) return all(el.columns);
  return `<div class="unknown">[${escapeHtml(String(el.tag))}]</div>`;
}

/** @param {any} card Feishu card JSON (2.0, or 1.0 with top-level elements) */
export function cardHtml(card) {
  const header = card?.header;
  const title = header?.title?.content;
  const template = String(header?.template ?? 'default').replace(/[^a-z]/g, '');
  const elements = card?.body?.elements ?? card?.elements ?? [];
  return `<div class="card">${
    title ? `<div class="card-header t-${template}">${escapeHtml(String(title))}</div>` : ''
  }<div class="card-body">${elements.map((/** @type {any} */ e) => cardElement(e)).join('')}</div></div>`;
}
