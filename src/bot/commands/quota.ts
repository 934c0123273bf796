import { chatLimitOf, userLimitOf } from '../../store/quota-rule.js';
import { dayOf } from '../day-of.js';
import { parseError } from '../parse/parse-error.js';
import { fold, parseIntIn, tokenize } from '../parse/text.js';
import { atUser } from '../texts/format.js';
import { command } from './command.js';

export const MAX_QUOTA = 10_000;

type QuotaCommand =
  | { type: 'quota' }
  | { type: 'quota_set'; userOpenId: string; perDay: number }
  | { type: 'quota_add'; userOpenId: string; n: number }
  | { type: 'quota_chat'; n: number };

const SUBS: Record<string, 'set' | 'add' | 'chat'> = {
  set: 'set',
  设置: 'set',
  add: 'add',
  增加: 'add',
  加: 'add',
  chat: 'chat',
  group: 'chat',
  群: 'chat',
  本群: 'chat',
};

/** `/quota` for everyone; `/quota set|add|chat` for admins. */
export const quota = command<QuotaCommand>({
  names: ['quota', '额度'],
  parse(args, mentions) {
    const [subRaw, a, b] = tokenize(args).map((x) => x.text);
    if (subRaw === undefined) return { type: 'quota' };
    const sub = SUBS[fold(subRaw)];
    if (!sub) return parseError('BAD_QUOTA_ARGS', { sub: subRaw.slice(0, 40) });
    if (sub === 'chat') {
      const n = parseIntIn(a, 0, MAX_QUOTA);
      if (n === null)
        return parseError('BAD_NUMBER', { value: (a ?? '').slice(0, 40), min: 0, max: MAX_QUOTA, sub });
      return { type: 'quota_chat', n };
    }
    const userOpenId = a === undefined ? undefined : mentions.user(a);
    if (!userOpenId) return parseError('BAD_USER', { value: (a ?? '').slice(0, 40), sub });
    const min = sub === 'set' ? 0 : 1;
    const n = parseIntIn(b, min, MAX_QUOTA);
    if (n === null)
      return parseError('BAD_NUMBER', { value: (b ?? '').slice(0, 40), min, max: MAX_QUOTA, sub });
    return sub === 'set'
      ? { type: 'quota_set', userOpenId, perDay: n }
      : { type: 'quota_add', userOpenId, n };
  },
  async handle(cmd, ctx) {
    const { t, store, policy, msg } = ctx;
    const day = dayOf(ctx.now, ctx.timezone);
    if (cmd.type === 'quota') {
      const q = await store.quotaState({ user: msg.senderOpenId, chat: msg.chatId, day });
      return {
        text: t.quota({
          used: q.used,
          limit: userLimitOf(q, policy),
          inFlight: q.inFlight,
          maxInFlight: policy.maxInFlightPerUser,
          spent: q.spentYuan,
          budget: policy.dailyBudgetYuan,
          chatUsed: q.chatUsed,
          chatLimit: chatLimitOf(q, policy),
        }),
      };
    }
    if (!ctx.isAdmin) return { text: t.notAdmin };
    const by = msg.senderOpenId;
    switch (cmd.type) {
      case 'quota_set':
        await store.admin(
          { kind: 'quota_set', user: cmd.userOpenId, perDay: cmd.perDay },
          by,
          policy,
          ctx.now,
        );
        return { text: t.quotaSet(atUser(cmd.userOpenId), cmd.perDay) };
      case 'quota_add': {
        const r = await store.admin(
          { kind: 'quota_add', user: cmd.userOpenId, n: cmd.n, day },
          by,
          policy,
          ctx.now,
        );
        return { text: t.quotaAdd(atUser(cmd.userOpenId), cmd.n, r.limitToday ?? 0) };
      }
      case 'quota_chat':
        await store.admin({ kind: 'quota_chat', n: cmd.n }, by, policy, ctx.now);
        return { text: t.quotaChat(cmd.n) };
    }
  },
});
