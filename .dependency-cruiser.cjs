/**
 * The architecture check (`npm run lint:arch`, part of `npm test`): no import cycles in src/, and data
 * flowing one way, lark → bot → jobs → jimeng / messenger, with the store below all of them
 * (../shared/design.md, issue 10). Type-only imports count: a cycle or a wrong-way arrow through types
 * is still a seam in the wrong place.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A module must not reach itself again through its imports (type-only imports included).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'store-below-all',
      comment: 'The store owns its record types and imports nothing above it.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: ['^src/(lark|bot|jobs|jimeng|sandbox|cli)/', '^src/(app|main|cli)\\.ts$'] },
    },
    {
      name: 'lark-knows-no-product',
      comment: 'The Feishu side (receivers, messenger) knows nothing of commands, jobs or the store.',
      severity: 'error',
      from: { path: '^src/lark/' },
      to: { path: '^src/(bot|jobs|store)/' },
    },
    {
      name: 'jimeng-knows-no-chats',
      comment: 'The Jimeng client is usable alone (and by the CLI): no chats, no jobs, no store.',
      severity: 'error',
      from: { path: '^src/jimeng/' },
      to: { path: '^src/(lark|bot|jobs|store)/' },
    },
    {
      name: 'jobs-below-bot',
      comment: 'Jobs are started by the bot, never the other way round.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/bot/' },
    },
    {
      name: 'jobs-use-lark-outbound-only',
      comment:
        'Jobs reach Feishu through the messenger (and its error codes and idempotency keys), never ' +
        'through receivers, deliveries or wire types.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/lark/', pathNot: '^src/lark/(messenger|lark-error|idempotency-key)\\.ts$' },
    },
    {
      name: 'bot-sees-typed-events-only',
      comment:
        'The bot gets typed events (lark/events.ts) and sends through the messenger; Feishu wire types ' +
        '(lark/types.ts), decoding and receivers stay in lark/.',
      severity: 'error',
      from: { path: '^src/bot/' },
      to: { path: '^src/lark/', pathNot: '^src/lark/(events|messenger|idempotency-key)\\.ts$' },
    },
    {
      name: 'messenger-as-interface',
      comment: 'Bot and jobs name the messenger as a type (it is injected), they never construct one.',
      severity: 'error',
      from: { path: '^src/(bot|jobs)/' },
      to: { path: '^src/lark/messenger\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
