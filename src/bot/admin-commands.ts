import type { Locale } from '../config.js';
import type { IncomingMessage } from '../lark/types.js';
import type { LedgerEntry } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { ParsedInput } from './commands.js';
import { dayOf } from './day-of.js';
import type { JobRunner } from './job-runner.js';
import { chatLimit, type QuotaPolicy, usedToday, userLimit } from './quota.js';
import { quotaTexts } from './quota-texts.js';

export interface AdminCommandsOptions {
  store: Store;
  policy: QuotaPolicy & { timezone: string };
  admins: string[];
  locale?: Locale;
  now: () => number;
}

export interface Answer {
  text?: string;
  card?: object;
}

const ADMIN_ONLY = new Set(['quota_set', 'quota_add', 'quota_chat', 'usage', 'pause', 'resume']);
const DAY = 86_400_000;

/** /quota, /jobs, /cancel for everyone; quota changes, /usage, /pause, /resume for admins. */
export class AdminCommands {
  constructor(private readonly o: AdminCommandsOptions) {}

  private get t() {
    return quotaTexts(this.o.locale ?? 'zh');
  }

  isAdmin(openId: string): boolean {
    return this.o.admins.includes(openId);
  }

  async handle(msg: IncomingMessage, cmd: ParsedInput, runner: JobRunner): Promise<Answer> {
    const { store } = this.o;
    const data = store.data;
    const now = this.o.now();
    const day = dayOf(now, this.o.policy.timezone);
    const user = msg.senderOpenId;
    if (ADMIN_ONLY.has(cmd.type) && !this.isAdmin(user)) return { text: this.t.notAdmin };
    const record = (action: string, detail: string) =>
      data.adminLog.push({ by: user, action, detail, at: now });
    const who = (openId: string) => `<at user_id="${openId}"></at>`;

    switch (cmd.type) {
      case 'quota': {
        const inFlight = this.o.store.activeJobCount(user);
        return {
          text: this.t.quota({
            used: usedToday(data, user, day),
            limit: userLimit(data, this.o.policy, user, day),
            inFlight,
            maxInFlight: this.o.policy.maxInFlightPerUser,
            spent: data.usage[day]?.yuan ?? 0,
            budget: this.o.policy.dailyBudgetYuan,
            chatUsed: data.usage[day]?.chats[msg.chatId] ?? 0,
            chatLimit: chatLimit(data, this.o.policy),
          }),
        };
      }
      case 'jobs': {
        const mine = data.jobs.filter((j) => j.userOpenId === user).slice(-10);
        if (!mine.length) return { text: this.t.jobsEmpty };
        return { text: [this.t.jobsHeader, ...mine.reverse().map((j) => this.t.jobLine(j))].join('\n') };
      }
      case 'cancel': {
        const job = store.job(cmd.jobId);
        if (!job) return { text: this.t.cancelNotFound(cmd.jobId) };
        if (job.userOpenId !== user && !this.isAdmin(user)) return { text: this.t.cancelNotYours };
        if (!(await runner.cancel(job))) return { text: this.t.cancelTooLate(job.id, job.state) };
        return { text: this.t.cancelled(job.id) };
      }
      case 'quota_set':
        data.userLimits[cmd.userOpenId] = cmd.perDay;
        record('quota set', `${cmd.userOpenId} → ${cmd.perDay}/day`);
        return { text: this.t.quotaSet(who(cmd.userOpenId), cmd.perDay) };
      case 'quota_add': {
        const key = `${day}|${cmd.userOpenId}`;
        data.extras[key] = (data.extras[key] ?? 0) + cmd.n;
        record('quota add', `${cmd.userOpenId} +${cmd.n} (${day})`);
        return {
          text: this.t.quotaAdd(
            who(cmd.userOpenId),
            cmd.n,
            userLimit(data, this.o.policy, cmd.userOpenId, day),
          ),
        };
      }
      case 'quota_chat':
        data.chatLimit = cmd.n;
        record('quota chat', `${cmd.n}/day per chat`);
        return { text: this.t.quotaChat(cmd.n) };
      case 'pause':
        data.paused = { reason: cmd.reason ?? '', by: user, at: now };
        record('pause', cmd.reason ?? '');
        return { text: this.t.paused2(cmd.reason ?? '') };
      case 'resume':
        if (!data.paused) return { text: this.t.notPaused };
        data.paused = null;
        record('resume', '');
        return { text: this.t.resumed };
      case 'usage':
        return { card: this.usageCard(cmd.range, now) };
      default:
        return {};
    }
  }

  /** Spend by user, chat and model (refunded jobs excluded) plus the admin actions, as a card. */
  usageCard(range: 'today' | '7d', now: number): object {
    const { data } = this.o.store;
    const tz = this.o.policy.timezone;
    const days = new Set(
      Array.from({ length: range === 'today' ? 1 : 7 }, (_, i) => dayOf(now - i * DAY, tz)),
    );
    const inRange = (at: number) => days.has(dayOf(at, tz));
    const spent = data.ledger.filter(
      (e) => e.outcome !== 'refunded' && e.outcome !== 'uncertain' && inRange(e.at),
    );
    const sum = (key: (e: LedgerEntry) => string) => {
      const m = new Map<string, { n: number; yuan: number; seconds: number }>();
      for (const e of spent) {
        const k = key(e);
        const v = m.get(k) ?? { n: 0, yuan: 0, seconds: 0 };
        v.n += 1;
        v.yuan += e.yuan;
        v.seconds += e.seconds;
        m.set(k, v);
      }
      return [...m.entries()].sort((a, b) => b[1].yuan - a[1].yuan);
    };
    const total = spent.reduce((s, e) => s + e.yuan, 0);
    const fmt = (y: number) => y.toFixed(2);
    const lines = (
      title: string,
      rows: [string, { n: number; yuan: number; seconds: number }][],
      label: (k: string) => string,
    ) =>
      [
        `**${title}**`,
        ...(rows.length
          ? rows
              .slice(0, 15)
              .map(([k, v]) => `- ${label(k)}：${v.n} 个 / ${v.seconds} 秒 / ${fmt(v.yuan)} 元`)
          : ['- 无']),
      ].join('\n');
    const actions = data.adminLog.filter((a) => inRange(a.at)).slice(-10);
    const title = range === 'today' ? '今日用量' : '近 7 天用量';
    const budget = this.o.policy.dailyBudgetYuan;
    return {
      schema: '2.0',
      config: { update_multi: true },
      header: { title: { tag: 'plain_text', content: `💰 ${title}：${fmt(total)} 元` }, template: 'orange' },
      body: {
        elements: [
          {
            tag: 'markdown',
            content: [
              `共 ${spent.length} 个视频，${fmt(total)} 元${budget > 0 ? `（每日预算 ${budget} 元）` : ''}`,
              data.paused ? `⏸ 已暂停：${data.paused.reason || '（未说明原因）'}` : '',
            ]
              .filter(Boolean)
              .join('\n'),
          },
          {
            tag: 'markdown',
            content: lines(
              '按用户',
              sum((e) => e.user),
              (k) => `<at id=${k}></at>`,
            ),
          },
          {
            tag: 'markdown',
            content: lines(
              '按群',
              sum((e) => e.chat),
              (k) => k,
            ),
          },
          {
            tag: 'markdown',
            content: lines(
              '按模型',
              sum((e) => e.model),
              (k) => k,
            ),
          },
          {
            tag: 'markdown',
            content: [
              '**管理操作**',
              ...(actions.length
                ? actions.map(
                    (a) =>
                      `- ${new Date(a.at).toISOString().slice(0, 16).replace('T', ' ')} <at id=${a.by}></at> ${a.action} ${a.detail}`,
                  )
                : ['- 无']),
            ].join('\n'),
          },
        ],
      },
    };
  }
}
