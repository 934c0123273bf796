/**
 * One job's card with two replicas sending it: a card owner on each of two PgStores (two replicas on one
 * real PostgreSQL), each with its own Messenger, against the fake Feishu over a real socket. The job
 * changes thirty times, alternately through either replica, each waking its own card owner: Feishu must
 * see one card, patched in order (never an older view after a newer one), ending with the last change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presenterFor } from '../../src/bot/presenter.js';
import { TEXTS } from '../../src/bot/texts/index.js';
import { systemClock } from '../../src/clock.js';
import { defaultCatalog } from '../../src/jimeng/model-catalog.js';
import { CardOwner } from '../../src/jobs/card-owner.js';
import { Failures } from '../../src/jobs/failures.js';
import { JobReplies } from '../../src/jobs/job-replies.js';
import { Messenger } from '../../src/lark/messenger.js';
import { silentLogger } from '../../src/log.js';
import { type FakeFeishu, startFakeFeishu } from '../../src/sandbox/fake-feishu.js';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { draft, POLICY } from '../contract/store-contract.js';
import { type PgCluster, startPgCluster } from '../helpers/pg-cluster.js';

let cluster: PgCluster;
let fake: FakeFeishu;
beforeAll(async () => {
  cluster = await startPgCluster();
  fake = await startFakeFeishu({ appId: 'cli_cardreplicas01', appSecret: 's' });
});
afterAll(async () => {
  await fake?.close();
  await cluster?.stop();
});

function cardOwner(store: PgStore): CardOwner {
  const messenger = new Messenger({ appId: 'cli_cardreplicas01', appSecret: 's', domain: fake.url });
  const presenter = presenterFor(TEXTS.zh, defaultCatalog);
  const log = silentLogger;
  const clock = systemClock;
  return new CardOwner({
    store,
    messenger,
    replies: new JobReplies({ store, messenger, presenter, clock, log }),
    failures: new Failures({ store, clock, log, onFailed: () => {} }),
    presenter,
    clock,
    log,
    paceMs: 1,
  });
}

const step = (content: string) => Number(/step (\d+)/.exec(content)?.[1] ?? -1);

describe('a card sent by two replicas', () => {
  it('reaches Feishu as one card patched in order, ending with the last change', async () => {
    const url = await cluster.createDatabase();
    const stores = [await PgStore.open({ url }), await PgStore.open({ url })] as const;
    const owners = stores.map(cardOwner);
    try {
      const messageId = fake.addUserMessage({
        chatId: 'oc_cards',
        senderOpenId: 'ou_cards',
        msgType: 'text',
        content: { text: '/video step 0' },
      });
      const r = await stores[0].createJob(
        draft({ sourceId: messageId, messageId, prompt: 'step 0' }),
        POLICY,
        {
          now: Date.now(),
        },
      );
      if (!r.ok) throw new Error('refused');
      for (const o of owners) o.wake();
      for (let i = 1; i <= 30; i++) {
        const side = i % 2;
        const set = { prompt: `step ${i}` };
        await stores[side]!.transition(r.job.id, { from: ['queued'], set, card: true }, Date.now());
        owners[side]!.wake();
        if (i % 3 === 0) owners[1 - side]!.wake();
      }
      await expect
        .poll(async () => (await stores[1].job(r.job.id))?.card, { timeout: 10_000, interval: 20 })
        .toMatchObject({ version: 31, sent: 31 });
      await Promise.all(owners.map((o) => o.settle()));
      const card = fake.botMessages().filter((m) => m.parentId === messageId);
      expect(card).toHaveLength(1);
      const seen = fake.patches.filter((p) => p.messageId === card[0]!.messageId).map((p) => step(p.content));
      expect(seen.length).toBeGreaterThan(0);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
      expect(seen.at(-1)).toBe(30);
      expect(step(card[0]!.content)).toBe(30);
    } finally {
      await Promise.all(owners.map((o) => o.stop()));
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
