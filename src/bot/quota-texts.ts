import type { Locale } from '../config.js';
import type { Job } from '../store/schema.js';
import type { QuotaRefusal } from './quota.js';

const STATE_ZH: Record<Job['state'], string> = {
  queued: '排队中',
  submitting: '提交中',
  running: '生成中',
  delivered: '已完成',
  failed: '失败',
  cancelled: '已取消',
};

const zh = {
  paused: (reason: string) => `⏸ 视频生成已被管理员暂停${reason ? `：${reason}` : ''}。恢复后再试吧。`,
  imageUnreadable:
    '⚠️ 读取不到你回复的图片（可能已被撤回，或机器人没有读取群消息的权限）。请重新发送图片后再试，或联系管理员检查 im:message.group_msg 与 im:resource 权限。',
  refusal(r: QuotaRefusal): string {
    switch (r.code) {
      case 'PAUSED':
        return zh.paused(r.reason);
      case 'USER_DAILY':
        return `⚠️ 你今天的视频额度已用完（${r.used}/${r.limit}）。额度每天 0 点重置；需要更多请联系管理员。`;
      case 'CHAT_DAILY':
        return `⚠️ 本群今天的视频额度已用完（${r.used}/${r.limit}）。明天再来，或请管理员调整 /quota chat。`;
      case 'BUDGET':
        return `⚠️ 今天的全局预算即将用完（已用 ${r.spent} / ${r.budget} 元，本视频约 ${r.cost} 元），暂停接收新任务，明天恢复。`;
      case 'IN_FLIGHT':
        return `⚠️ 你已有 ${r.limit} 个任务在进行中，请等它们完成后再提交（/jobs 查看进度）。`;
    }
  },
  quota: (p: {
    used: number;
    limit: number;
    inFlight: number;
    maxInFlight: number;
    spent: number;
    budget: number;
    chatUsed: number;
    chatLimit: number;
  }) =>
    [
      `📊 今日额度：已用 ${p.used} / ${p.limit} 个视频，还剩 ${Math.max(0, p.limit - p.used)} 个`,
      `进行中：${p.inFlight} / ${p.maxInFlight}`,
      p.chatLimit > 0 ? `本群今日：${p.chatUsed} / ${p.chatLimit}` : '',
      p.budget > 0 ? `全局预算：已用 ${p.spent} / ${p.budget} 元` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  jobsEmpty: '你还没有任务。发送 /video 橘猫打哈欠 试试吧。',
  jobsHeader: '🗂 你最近的任务：',
  jobLine: (j: Job) =>
    `${j.id}　${STATE_ZH[j.state]}　${j.tier.toUpperCase()} ${j.duration}秒　${truncate(j.prompt, 24)}${j.error ? `（${j.error.code}）` : ''}`,
  cancelNotFound: (id: string) => `找不到任务 ${id}。发送 /jobs 查看你的任务编号。`,
  cancelNotYours: '只能取消自己的任务。',
  cancelTooLate: (id: string, state: Job['state']) =>
    `任务 ${id} 已${STATE_ZH[state]}，不能再取消（只能取消排队中的任务）。`,
  cancelled: (id: string) => `🚫 已取消任务 ${id}，额度已退回。`,
  notAdmin: '🙏 抱歉，这个命令只有管理员可以使用。发送 /quota 查看你自己的额度。',
  quotaSet: (who: string, n: number) => `✅ 已把 ${who} 的每日额度设为 ${n} 个视频。`,
  quotaAdd: (who: string, n: number, total: number) =>
    `✅ 已为 ${who} 今天额外增加 ${n} 个视频（今日上限 ${total}）。`,
  quotaChat: (n: number) => (n > 0 ? `✅ 本群每天最多 ${n} 个视频。` : '✅ 已取消群额度限制。'),
  paused2: (reason: string) =>
    `⏸ 已暂停接收新任务${reason ? `（原因：${reason}）` : ''}。已排队的任务会继续完成。/resume 恢复。`,
  resumed: '▶️ 已恢复接收新任务。',
  notPaused: '当前没有暂停。',
};

export type QuotaTexts = typeof zh;

const en: QuotaTexts = {
  paused: (reason: string) =>
    `⏸ Video generation is paused by an admin${reason ? `: ${reason}` : ''}. Try again later.`,
  imageUnreadable:
    '⚠️ Could not read the image you replied to (recalled, or the bot lacks permission to read group messages). Send the image again, or ask an admin to check the im:message.group_msg and im:resource scopes.',
  refusal(r: QuotaRefusal): string {
    switch (r.code) {
      case 'PAUSED':
        return en.paused(r.reason);
      case 'USER_DAILY':
        return `⚠️ You have used today's video quota (${r.used}/${r.limit}). It resets at midnight; ask an admin for more.`;
      case 'CHAT_DAILY':
        return `⚠️ This chat has used today's video quota (${r.used}/${r.limit}).`;
      case 'BUDGET':
        return `⚠️ Today's budget is nearly spent (¥${r.spent} of ¥${r.budget}; this video ≈ ¥${r.cost}). New jobs resume tomorrow.`;
      case 'IN_FLIGHT':
        return `⚠️ You already have ${r.limit} job(s) in progress; wait for them to finish (/jobs).`;
    }
  },
  quota: (p) =>
    [
      `📊 Today: ${p.used} / ${p.limit} videos used, ${Math.max(0, p.limit - p.used)} left`,
      `In progress: ${p.inFlight} / ${p.maxInFlight}`,
      p.chatLimit > 0 ? `This chat today: ${p.chatUsed} / ${p.chatLimit}` : '',
      p.budget > 0 ? `Global budget: ¥${p.spent} / ¥${p.budget}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  jobsEmpty: 'No jobs yet. Try /video a cat yawning.',
  jobsHeader: '🗂 Your recent jobs:',
  jobLine: (j: Job) =>
    `${j.id}  ${j.state}  ${j.tier} ${j.duration}s  ${truncate(j.prompt, 24)}${j.error ? ` (${j.error.code})` : ''}`,
  cancelNotFound: (id: string) => `No job ${id}. Send /jobs to see yours.`,
  cancelNotYours: 'You can only cancel your own jobs.',
  cancelTooLate: (id: string, state: Job['state']) =>
    `Job ${id} is ${state}; only queued jobs can be cancelled.`,
  cancelled: (id: string) => `🚫 Cancelled ${id}; quota refunded.`,
  notAdmin: '🙏 Sorry, only admins can use this command. Send /quota to see your own quota.',
  quotaSet: (who: string, n: number) => `✅ ${who} may now make ${n} videos a day.`,
  quotaAdd: (who: string, n: number, total: number) =>
    `✅ Gave ${who} ${n} extra videos today (limit today: ${total}).`,
  quotaChat: (n: number) => (n > 0 ? `✅ This chat may make ${n} videos a day.` : '✅ Chat limit removed.'),
  paused2: (reason: string) =>
    `⏸ Paused new jobs${reason ? ` (${reason})` : ''}. Queued jobs still finish. /resume to resume.`,
  resumed: '▶️ Accepting new jobs again.',
  notPaused: 'Not paused.',
};

function truncate(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : s;
}

export function quotaTexts(locale: Locale): QuotaTexts {
  return locale === 'en' ? en : zh;
}
