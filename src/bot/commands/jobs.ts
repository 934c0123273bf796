import { command } from './command.js';

export const jobs = command({
  names: ['jobs', 'job', '任务'],
  parse: () => ({ type: 'jobs' as const }),
  async handle(_cmd, ctx) {
    const mine = await ctx.store.jobsOfUser(ctx.msg.senderOpenId, 10);
    if (!mine.length) return { text: ctx.t.jobsEmpty };
    return { text: [ctx.t.jobsHeader, ...mine.map((j) => ctx.t.jobLine(j))].join('\n') };
  },
});
