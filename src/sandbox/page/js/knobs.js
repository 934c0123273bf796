// @ts-check
/** The simulator panel: how long a generation takes, and faults injected into the next calls. */
import { $ } from './dom.js';
import { json, post, showError } from './server.js';

/** @typedef {import('./state.js').Knobs} Knobs */

const FAULT_LABELS = /** @type {Record<string, string>} */ ({
  qps: 'QPS 限流',
  concurrency: '并发超限',
  risk_text: '内容风控',
  risk_image: '图片风控',
  risk_output: '输出风控',
  fail: '生成失败',
  500: '服务器 500',
  slow: '慢响应',
  hang: '无响应',
});

const genRange = /** @type {HTMLInputElement} */ ($('gen-range'));
const genSeconds = /** @type {HTMLInputElement} */ ($('gen-seconds'));

/** @param {Knobs} k */
export function renderKnobs(k) {
  const seconds = k.generationMs / 1000;
  if (document.activeElement !== genSeconds) genSeconds.value = String(seconds);
  if (document.activeElement !== genRange) genRange.value = String(Math.round(seconds));
  const pending = k.pendingFaults.map((f) => FAULT_LABELS[f] ?? f);
  if (k.failNextTasks > 0) pending.push(`生成失败 ×${k.failNextTasks}`);
  $('faults-status').textContent = pending.length ? `待触发：${pending.join('、')}` : '没有待触发的故障';
}

/** @param {Record<string, unknown>} body */
async function setKnobs(body) {
  try {
    renderKnobs(await post('/sandbox/knobs', json(body)));
    showError('');
  } catch (err) {
    showError(`设置失败：${/** @type {Error} */ (err).message}`);
  }
}

export function wireKnobs() {
  genRange.addEventListener('input', () => {
    genSeconds.value = genRange.value;
  });
  genRange.addEventListener(
    'change',
    () => void setKnobs({ generationMs: Math.round(Number(genRange.value) * 1000) }),
  );
  genSeconds.addEventListener('change', () => {
    const s = Number(genSeconds.value);
    if (Number.isFinite(s) && s >= 0 && s <= 600) void setKnobs({ generationMs: Math.round(s * 1000) });
    else showError('生成耗时必须在 0–600 秒之间');
  });
  $('gen-form').addEventListener('submit', (e) => e.preventDefault());
  for (const b of document.querySelectorAll('[data-fault]')) {
    b.addEventListener('click', () => void setKnobs({ fault: /** @type {HTMLElement} */ (b).dataset.fault }));
  }
  $('clear-faults').addEventListener('click', () => void setKnobs({ clearFaults: true }));
}
