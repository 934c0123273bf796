import { command } from './command.js';

export const help = command({
  names: ['help', '帮助'],
  parse: () => ({ type: 'help' as const }),
  async handle(_cmd, ctx) {
    return {
      text: ctx.t.help({
        showAdmin: ctx.isAdmin,
        defaults: ctx.services.defaults,
        prices: ctx.services.pricesByTier(),
      }),
    };
  },
});
