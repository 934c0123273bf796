import { command } from './command.js';

export const resume = command({
  names: ['resume', '恢复'],
  adminOnly: true,
  parse: () => ({ type: 'resume' as const }),
  async handle(_cmd, ctx) {
    const r = await ctx.store.admin({ kind: 'resume' }, ctx.msg.senderOpenId, ctx.policy, ctx.now);
    return { text: r.changed ? ctx.t.resumed : ctx.t.notPaused };
  },
});
