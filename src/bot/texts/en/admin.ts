import type { AccountView } from '../../../jobs/pool-access.js';
import type { AdminLogEntry, JobState } from '../../../store/records.js';
import { excerpt, formatYuan } from '../format.js';
import type { Texts, UsageRow, UsageView } from '../texts.js';
import { jobError } from './errors.js';

const STATE: Record<JobState, string> = {
  queued: 'queued',
  submitting: 'submitting',
  running: 'generating',
  delivered: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

function adminEntry(e: AdminLogEntry, v: UsageView): string {
  const who = e.target ? v.user(e.target) : '';
  const what = {
    quota_set: `set ${who}'s daily videos to ${e.n}`,
    quota_add: `gave ${who} ${e.n} extra today`,
    quota_chat: e.n ? `set the per-chat daily limit to ${e.n}` : 'removed the per-chat limit',
    pause: `paused generation${e.reason ? ` (${e.reason})` : ''}`,
    resume: 'resumed generation',
  }[e.action];
  return `- ${v.time(e.at)} ${v.user(e.by)} ${what}`;
}

const REFUSED: Record<string, string> = {
  AUTH: 'credentials refused',
  SIGNATURE: 'signature refused',
  ACCESS_DENIED: 'service not enabled',
};

function accountLine(a: AccountView, v: UsageView): string {
  const state = a.refused
    ? `🔴 down: ${REFUSED[a.refused.code] ?? a.refused.code} (${a.refused.code}), tried again at ${v.time(a.refused.until)}`
    : a.loweredUntil !== undefined
      ? `🟡 Jimeng said 50430 (concurrency limit): ${a.slots} at once for now (configured ${a.maxConcurrent}) until ${v.time(a.loweredUntil)}`
      : a.up
        ? '🟢 up'
        : '🔴 down: no model enabled';
  const denied = a.deniedModels.length ? `; not enabled: ${a.deniedModels.join(', ')}` : '';
  return `- ${a.name}: ${state}; ${a.inFlight} / ${a.maxConcurrent} in flight${denied}`;
}

const accountsSection = (v: UsageView) =>
  v.accounts?.length ? [['**Jimeng accounts**', ...v.accounts.map((a) => accountLine(a, v))].join('\n')] : [];

const rows = (title: string, list: UsageRow[]) =>
  [
    `**${title}**`,
    ...(list.length
      ? list.slice(0, 15).map((r) => `- ${r.label}: ${r.n} videos / ${r.seconds} s / ¥${r.yuan.toFixed(2)}`)
      : ['- none']),
  ].join('\n');

export const enAdmin: Pick<
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
      `📊 Today: ${p.used} / ${p.limit} videos used, ${Math.max(0, p.limit - p.used)} left`,
      `In progress: ${p.inFlight} / ${p.maxInFlight}`,
      p.chatLimit > 0 ? `This chat today: ${p.chatUsed} / ${p.chatLimit}` : '',
      p.budget > 0 ? `Global budget: ¥${formatYuan(p.spent)} / ¥${p.budget}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  jobsEmpty: 'No jobs yet. Try /video a cat yawning.',
  jobsHeader: '🗂 Your recent jobs:',
  jobLine: (j) =>
    `${j.id}  ${STATE[j.state]}  ${j.tier.toUpperCase()} ${j.duration}s  ${excerpt(j.prompt, 24)}${j.state === 'failed' && j.error ? ` (${jobError(j.error.code)})` : ''}`,
  state: (s) => STATE[s],
  cancelNotFound: (id) => `No job ${id}. Send /jobs to see yours.`,
  cancelNotYours: 'You can only cancel your own jobs.',
  cancelTooLate: (id, state) => `Job ${id} is ${STATE[state]}; only queued jobs can be cancelled.`,
  cancelled: (id) => `🚫 Cancelled ${id}; quota refunded.`,
  notAdmin: '🙏 Sorry, only admins can use this command. Send /quota to see your own quota.',
  quotaSet: (who, n) => `✅ ${who} may now make ${n} videos a day.`,
  quotaAdd: (who, n, total) => `✅ Gave ${who} ${n} extra videos today (limit today: ${total}).`,
  quotaChat: (n) => (n > 0 ? `✅ This chat may make ${n} videos a day.` : '✅ Chat limit removed.'),
  paused: (reason) =>
    `⏸ Paused new jobs${reason ? ` (${reason})` : ''}. Queued jobs still finish. /resume to resume.`,
  resumed: '▶️ Accepting new jobs again.',
  notPaused: 'Not paused.',
  usage: (v) => ({
    title: `💰 ${v.range === 'today' ? 'Usage today' : 'Usage, last 7 days'}: ¥${v.total.toFixed(2)}`,
    sections: [
      [
        `${v.count} videos, ¥${v.total.toFixed(2)}${v.budget > 0 ? ` (daily budget ¥${v.budget})` : ''}`,
        v.paused ? `⏸ Paused: ${v.paused.reason || '(no reason given)'}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      rows('By user', v.byUser),
      rows('By chat', v.byChat),
      rows('By model', v.byModel),
      ['**Admin actions**', ...(v.admin.length ? v.admin.map((e) => adminEntry(e, v)) : ['- none'])].join(
        '\n',
      ),
      ...accountsSection(v),
    ],
  }),
};
