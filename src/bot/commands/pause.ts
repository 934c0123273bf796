import { command } from './command.js';

export const MAX_PAUSE_REASON_CHARS = 200;

export const pause = command({
  names: ['pause', '暂停'],
  adminOnly: true,
  parse(args, mentions) {
    const reason = [...mentions.resolve(args.slice(0, MAX_PAUSE_REASON_CHARS * 8)).trim()]
      .slice(0, MAX_PAUSE_REASON_CHARS)
      .join('')
      .trim();
    return reason ? { type: 'pause' as const, reason } : { type: 'pause' as const };
  },
  async handle(cmd, ctx) {
    const reason = cmd.reason ?? '';
    await ctx.store.admin({ kind: 'pause', reason }, ctx.msg.senderOpenId, ctx.policy, ctx.now);
    return { text: ctx.t.paused(reason) };
  },
});
