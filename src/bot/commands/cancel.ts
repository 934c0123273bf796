import { parseError } from '../parse/parse-error.js';
import { tokenize } from '../parse/text.js';
import { command } from './command.js';

export const cancel = command({
  names: ['cancel', '取消'],
  parse(args) {
    const tok = tokenize(args)[0];
    if (!tok) return parseError('MISSING_JOB_ID', {});
    const jobId = tok.text.normalize('NFKC').replace(/^[#＃]/, '');
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(jobId))
      return parseError('BAD_JOB_ID', { value: tok.text.slice(0, 40) });
    return { type: 'cancel' as const, jobId };
  },
  async handle(cmd, ctx) {
    const r = await ctx.services.cancelJob(cmd.jobId, ctx.msg.senderOpenId, ctx.isAdmin);
    if (r.ok) return { text: ctx.t.cancelled(r.job.id) };
    if (r.reason === 'not_found') return { text: ctx.t.cancelNotFound(cmd.jobId) };
    if (r.reason === 'not_yours') return { text: ctx.t.cancelNotYours };
    return { text: ctx.t.cancelTooLate(r.job.id, r.job.state) };
  },
});
