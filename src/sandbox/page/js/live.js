// @ts-check
/** Live updates: /sandbox/events (server-sent events) sends a snapshot, then messages, patches and knobs. */
import { $ } from './dom.js';
import { renderKnobs } from './knobs.js';
import { renderAll, upsert } from './messages.js';
import { state } from './state.js';
import { renderUsers } from './users.js';

/** @typedef {import('./state.js').Snapshot} Snapshot */

export function connect() {
  const conn = $('conn');
  const events = new EventSource('/sandbox/events');
  events.addEventListener('open', () => {
    conn.textContent = '已连接';
    conn.className = 'conn ok';
  });
  events.addEventListener('error', () => {
    conn.textContent = events.readyState === EventSource.CLOSED ? '已断开' : '重新连接中…';
    conn.className = 'conn bad';
  });
  events.addEventListener('snapshot', (e) => {
    /** @type {Snapshot} */
    const snap = JSON.parse(/** @type {MessageEvent} */ (e).data);
    state.users = snap.users;
    state.bot = snap.bot;
    state.clip = snap.simulatorClip;
    if (snap.simulatorClip) {
      const c = snap.simulatorClip;
      $('sim-clip').textContent =
        `模拟器不会真的生成视频：无论选择什么比例、时长和清晰度，返回的都是同一段 ${c.seconds} 秒 ${c.width}×${c.height} 的测试画面。`;
    }
    $('bot-name').textContent = snap.bot.name;
    state.messages = new Map(snap.messages.map((m) => [m.id, m]));
    renderUsers();
    renderAll();
    renderKnobs(snap.knobs);
    document.body.dataset.ready = '1';
  });
  events.addEventListener('message', (e) => upsert(JSON.parse(/** @type {MessageEvent} */ (e).data)));
  events.addEventListener('patch', (e) => upsert(JSON.parse(/** @type {MessageEvent} */ (e).data)));
  events.addEventListener('knobs', (e) => renderKnobs(JSON.parse(/** @type {MessageEvent} */ (e).data)));
}
