import type { AccountView } from '../../../jobs/pool-access.js';
import type { AdminLogEntry, JobState } from '../../../store/records.js';
import { excerpt, formatYuan } from '../format.js';
import type { Texts, UsageRow, UsageView } from '../texts.js';
import { jobError } from './errors.js';

const STATE: Record<JobState, string> = {
  queued: '排队中',
  submitting: '提交中',
  running: '生成中',
  delivered: '已完成',
  failed: '失败',
  cancelled: '已取消',
};

function adminEntry(e: AdminLogEntry, v: UsageView): string {
  const who = e.target ? v.user(e.target) : '';
  const what = {
    quota_set: `把 ${who} 的每日额度设为 ${e.n}`,
    quota_add: `今天给 ${who} 增加 ${e.n} 个`,
    quota_chat: e.n ? `把每群每日上限设为 ${e.n}` : '取消群额度限制',
    pause: `暂停生成${e.reason ? `（${e.reason}）` : ''}`,
    resume: '恢复生成',
  }[e.action];
  return `- ${v.time(e.at)} ${v.user(e.by)} ${what}`;
}

const REFUSED: Record<string, string> = {
  AUTH: '密钥被拒',
  SIGNATURE: '签名不匹配',
  ACCESS_DENIED: '服务未开通',
};

function accountLine(a: AccountView, v: UsageView): string {
  const state = a.refused
    ? `🔴 停用：${REFUSED[a.refused.code] ?? a.refused.code}（${a.refused.code}），${v.time(a.refused.until)} 再试`
    : a.loweredUntil !== undefined
      ? `🟡 即梦报并发上限，暂按 ${a.slots} 个并发（配置 ${a.maxConcurrent}），${v.time(a.loweredUntil)} 恢复`
      : a.up
        ? '🟢 正常'
        : '🔴 停用：所有模型都未开通';
  const denied = a.deniedModels.length ? `；未开通 ${a.deniedModels.join('、')}` : '';
  return `- ${a.name}：${state}；进行中 ${a.inFlight} / ${a.maxConcurrent}${denied}`;
}

const accountsSection = (v: UsageView) =>
  v.accounts?.length ? [['**即梦账号**', ...v.accounts.map((a) => accountLine(a, v))].join('\n')] : [];

const rows = (title: string, list: UsageRow[]) =>
  [
    `**${title}**`,
    ...(list.length
      ? list.slice(0, 15).map((r) => `- ${r.label}：${r.n} 个 / ${r.seconds} 秒 / ${r.yuan.toFixed(2)} 元`)
      : ['- 无']),
  ].join('\n');

export const zhAdmin: Pick<
  Texts,
  | 'quota'
  | 'jobsEmpty'
  | 'jobsHeader'
  | 'jobLine'
  | 'state'
  | 'cancelNotFound'
  | 'cancelNotYours'
  | 'cancelTooLate'
  | 'cancelled'
  | 'notAdmin'
  | 'quotaSet'
  | 'quotaAdd'
  | 'quotaChat'
  | 'paused'
  | 'resumed'
  | 'notPaused'
  | 'usage'
> = {
  quota: (p) =>
    [
      `📊 今日额度：已用 ${p.used} / ${p.limit} 个视频，还剩 ${Math.max(0, p.limit - p.used)} 个`,
      `进行中：${p.inFlight} / ${p.maxInFlight}`,
      p.chatLimit > 0 ? `本群今日：${p.chatUsed} / ${p.chatLimit}` : '',
      p.budget > 0 ? `全局预算：已用 ${formatYuan(p.spent)} / ${p.budget} 元` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  jobsEmpty: '你还没有任务。发送 /video 橘猫打哈欠 试试吧。',
  jobsHeader: '🗂 你最近的任务：',
  jobLine: (j) =>
    `${j.id}　${STATE[j.state]}　${j.tier.toUpperCase()} ${j.duration}秒　${excerpt(j.prompt, 24)}${j.state === 'failed' && j.error ? `（${jobError(j.error.code)}）` : ''}`,
  state: (s) => STATE[s],
  cancelNotFound: (id) => `找不到任务 ${id}。发送 /jobs 查看你的任务编号。`,
  cancelNotYours: '只能取消自己的任务。',
  cancelTooLate: (id, state) => `任务 ${id} ${STATE[state]}，不能再取消（只能取消排队中的任务）。`,
  cancelled: (id) => `🚫 已取消任务 ${id}，额度已退回。`,
  notAdmin: '🙏 抱歉，这个命令只有管理员可以使用。发送 /quota 查看你自己的额度。',
  quotaSet: (who, n) => `✅ 已把 ${who} 的每日额度设为 ${n} 个视频。`,
  quotaAdd: (who, n, total) => `✅ 已为 ${who} 今天额外增加 ${n} 个视频（今日上限 ${total}）。`,
  quotaChat: (n) => (n > 0 ? `✅ 本群每天最多 ${n} 个视频。` : '✅ 已取消群额度限制。'),
  paused: (reason) =>
    `⏸ 已暂停接收新任务${reason ? `（原因：${reason}）` : ''}。已排队的任务会继续完成。/resume 恢复。`,
  resumed: '▶️ 已恢复接收新任务。',
  notPaused: '当前没有暂停。',
  usage: (v) => ({
    title: `💰 ${v.range === 'today' ? '今日用量' : '近 7 天用量'}：${v.total.toFixed(2)} 元`,
    sections: [
      [
        `共 ${v.count} 个视频，${v.total.toFixed(2)} 元${v.budget > 0 ? `（每日预算 ${v.budget} 元）` : ''}`,
        v.paused ? `⏸ 已暂停：${v.paused.reason || '（未说明原因）'}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      rows('按用户', v.byUser),
      rows('按群', v.byChat),
      rows('按模型', v.byModel),
      ['**管理操作**', ...(v.admin.length ? v.admin.map((e) => adminEntry(e, v)) : ['- 无'])].join('\n'),
      ...accountsSection(v),
    ],
  }),
};
