import { command } from './command.js';

export const models = command({
  names: ['models', 'model', '模型'],
  parse: () => ({ type: 'models' as const }),
  async handle(_cmd, ctx) {
    return { text: ctx.t.models(ctx.services.modelRows()) };
  },
});
