import type { LedgerEntry } from '../../store/records.js';
import { usageCard } from '../cards/usage-card.js';
import { dayOf } from '../day-of.js';
import { parseError } from '../parse/parse-error.js';
import { fold, tokenize } from '../parse/text.js';
import type { UsageRow } from '../texts/texts.js';
import { command } from './command.js';

const DAY = 86_400_000;
const TODAY = ['today', '今天', '今日', '1d', '1天'];
const WEEK = ['7d', '7天', '7日', 'week', '本周', '一周', '近7天', '最近7天'];

function sum(
  entries: LedgerEntry[],
  key: (e: LedgerEntry) => string,
  label: (k: string) => string,
): UsageRow[] {
  const m = new Map<string, UsageRow>();
  for (const e of entries) {
    const k = key(e);
    const row = m.get(k) ?? { label: label(k), n: 0, yuan: 0, seconds: 0 };
    row.n += 1;
    row.yuan += e.yuan;
    row.seconds += e.seconds;
    m.set(k, row);
  }
  return [...m.values()].sort((a, b) => b.yuan - a.yuan);
}

/** `/usage [today|7d]` (admins): spend by user, chat and model, and the admin actions, as a card. */
export const usage = command({
  names: ['usage', '用量'],
  adminOnly: true,
  parse(args) {
    const tok = tokenize(args)[0];
    if (!tok) return { type: 'usage' as const, range: 'today' as const };
    const v = fold(tok.text);
    if (TODAY.includes(v)) return { type: 'usage' as const, range: 'today' as const };
    if (WEEK.includes(v)) return { type: 'usage' as const, range: '7d' as const };
    return parseError('BAD_RANGE', { value: tok.text.slice(0, 40) });
  },
  async handle(cmd, ctx) {
    const tz = ctx.timezone;
    const days = new Set(
      Array.from({ length: cmd.range === 'today' ? 1 : 7 }, (_, i) => dayOf(ctx.now - i * DAY, tz)),
    );
    const since = ctx.now - (cmd.range === 'today' ? 1 : 7) * DAY - DAY;
    const inRange = (at: number) => days.has(dayOf(at, tz));
    const spent = (await ctx.store.ledgerSince(since)).filter(
      (e) => e.outcome !== 'refunded' && e.outcome !== 'uncertain' && inRange(e.at),
    );
    const chatNames = new Map<string, string>();
    for (const chat of new Set(spent.map((e) => e.chat)))
      chatNames.set(chat, await ctx.services.chatName(chat));
    const paused = await ctx.store.paused();
    const user = (openId: string) => `<at id=${openId}></at>`;
    const card = usageCard(
      ctx.t.usage({
        range: cmd.range,
        total: spent.reduce((s, e) => s + e.yuan, 0),
        count: spent.length,
        budget: ctx.policy.dailyBudgetYuan,
        ...(paused ? { paused: { reason: paused.reason } } : {}),
        byUser: sum(spent, (e) => e.user, user),
        byChat: sum(
          spent,
          (e) => e.chat,
          (k) => chatNames.get(k) ?? k,
        ),
        byModel: sum(
          spent,
          (e) => e.model,
          (k) => k,
        ),
        admin: (await ctx.store.adminLogSince(since)).filter((a) => inRange(a.at)).slice(-10),
        accounts: await ctx.services.jimengAccounts(),
        time: (at) =>
          new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'short' }).format(
            at,
          ),
        user,
      }),
    );
    return { card };
  },
});
