import { describe, expect, it } from 'vitest';
import { TEXTS } from '../../src/bot/texts/index.js';
import type { UsageView } from '../../src/bot/texts/texts.js';
import type { AccountView } from '../../src/jobs/pool-access.js';

const ACCOUNTS: AccountView[] = [
  { name: 'team-a', up: true, deniedModels: [], slots: 2, maxConcurrent: 2, inFlight: 1 },
  { name: 'team-b', up: true, deniedModels: [], slots: 1, maxConcurrent: 2, loweredUntil: 1, inFlight: 1 },
  {
    name: 'team-c',
    up: false,
    refused: { code: 'AUTH', until: 2 },
    deniedModels: [],
    slots: 0,
    maxConcurrent: 1,
    inFlight: 0,
  },
  {
    name: 'team-d',
    up: true,
    deniedModels: ['jimeng_t2v_v30_1080p'],
    slots: 2,
    maxConcurrent: 2,
    inFlight: 0,
  },
];

const view = (accounts: AccountView[] | undefined): UsageView => ({
  range: 'today',
  total: 0,
  count: 0,
  budget: 0,
  byUser: [],
  byChat: [],
  byModel: [],
  admin: [],
  ...(accounts ? { accounts } : {}),
  time: (at) => (at === 1 ? '12:05' : '12:30'),
  user: (id) => id,
});

describe('/usage: the Jimeng accounts', () => {
  it('zh: each account up or out and why, in flight', () => {
    const last = TEXTS.zh.usage(view(ACCOUNTS)).sections.at(-1)!;
    expect(last.split('\n')).toEqual([
      '**即梦账号**',
      '- team-a：🟢 正常；进行中 1 / 2',
      '- team-b：🟡 即梦报并发上限，暂按 1 个并发（配置 2），12:05 恢复；进行中 1 / 2',
      '- team-c：🔴 停用：密钥被拒（AUTH），12:30 再试；进行中 0 / 1',
      '- team-d：🟢 正常；进行中 0 / 2；未开通 jimeng_t2v_v30_1080p',
    ]);
  });

  it('en: the same in English, no Chinese', () => {
    const last = TEXTS.en.usage(view(ACCOUNTS)).sections.at(-1)!;
    expect(last.split('\n')).toEqual([
      '**Jimeng accounts**',
      '- team-a: 🟢 up; 1 / 2 in flight',
      '- team-b: 🟡 Jimeng said 50430 (concurrency limit): 1 at once for now (configured 2) until 12:05; 1 / 2 in flight',
      '- team-c: 🔴 down: credentials refused (AUTH), tried again at 12:30; 0 / 1 in flight',
      '- team-d: 🟢 up; 0 / 2 in flight; not enabled: jimeng_t2v_v30_1080p',
    ]);
    expect(last).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('no accounts known: no section', () => {
    for (const t of [TEXTS.zh, TEXTS.en]) {
      expect(t.usage(view(undefined)).sections).toHaveLength(5);
      expect(t.usage(view([])).sections).toHaveLength(5);
    }
  });
});
