/**
 * The card owner on fake time, the in-memory store and the real Messenger against the fake Feishu over a
 * real socket: ordering, coalescing, restart, and retry with backoff.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { presenterFor } from '../../src/bot/presenter.js';
import { TEXTS } from '../../src/bot/texts/index.js';
import { defaultCatalog } from '../../src/jimeng/model-catalog.js';
import { CardOwner } from '../../src/jobs/card-owner.js';
import { Failures } from '../../src/jobs/failures.js';
import { JobReplies } from '../../src/jobs/job-replies.js';
import { idempotencyKey } from '../../src/lark/idempotency-key.js';
import { Messenger } from '../../src/lark/messenger.js';
import { silentLogger } from '../../src/log.js';
import { type FakeFeishu, startFakeFeishu } from '../../src/sandbox/fake-feishu.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { draft, POLICY } from '../contract/store-contract.js';
import { FakeClock } from '../helpers/fake-clock.js';

let fake: FakeFeishu;
afterEach(async () => {
  await fake?.close();
});

async function world() {
  fake = await startFakeFeishu({ appId: 'cli_cardowner0001', appSecret: 's' });
  const clock = new FakeClock();
  const store = new MemoryStore({ now: () => clock.now() });
  // No retries inside the messenger: the card owner's own backoff (on the fake clock) is under test.
  const messenger = new Messenger({
    appId: 'cli_cardowner0001',
    appSecret: 's',
    domain: fake.url,
    retries: 0,
    timeoutMs: 2_000,
  });
  const presenter = presenterFor(TEXTS.zh, defaultCatalog);
  const failures = new Failures({ store, clock, log: silentLogger, onFailed: () => {} });
  const owner = () =>
    new CardOwner({
      store,
      messenger,
      replies: new JobReplies({ store, messenger, presenter, clock, log: silentLogger }),
      failures,
      presenter,
      clock,
      log: silentLogger,
      paceMs: 1,
    });
  const messageId = fake.addUserMessage({
    chatId: 'oc_1',
    senderOpenId: 'ou_alice',
    msgType: 'text',
    content: { text: '/video 猫' },
  });
  const r = await store.createJob(draft({ sourceId: messageId, messageId }), POLICY, { now: clock.now() });
  if (!r.ok) throw new Error('refused');
  return { clock, store, owner, job: r.job, messageId };
}

const title = (content: string) =>
  (JSON.parse(content) as { header: { title: { content: string } } }).header.title.content;

describe('CardOwner', () => {
  it('sends the first card as a reply, then patches; changes that pile up go out as one patch with the latest state', async () => {
    const { clock, store, owner, job, messageId } = await world();
    const cards = owner();
    cards.wake();
    await clock.advance(10);
    await cards.idle();
    const [card] = fake.botMessages();
    expect(card).toMatchObject({
      parentId: messageId,
      msgType: 'interactive',
      uuid: idempotencyKey(messageId, 'card'),
    });
    expect(title(card!.content)).toBe('🎬 已排队');
    // Three changes before the owner looks again: one patch, showing the last.
    await store.claimSubmits({ now: clock.now(), accounts: [{ name: 'a', maxInFlight: 1 }], limit: 1 });
    await store.transition(
      job.id,
      { from: ['submitting'], to: 'running', set: { taskId: 't' }, card: true },
      clock.now(),
    );
    await store.transition(
      job.id,
      { from: ['running'], set: { taskStatus: 'in_queue' }, card: true },
      clock.now(),
    );
    await store.transition(
      job.id,
      { from: ['running'], to: 'failed', charge: 'refund', error: { code: 'TASK_FAILED' }, card: true },
      clock.now(),
    );
    cards.wake();
    await clock.advance(10);
    await cards.settle();
    expect(fake.patches).toHaveLength(1);
    expect(title(fake.patches[0]!.content)).toBe('❌ 生成失败');
    expect((await store.job(job.id))?.card).toMatchObject({
      version: 4,
      sent: 4,
      messageId: card!.messageId,
    });
  });

  it('after a crash between sending the first card and recording it, the restart sends it once (same uuid)', async () => {
    const { clock, store, owner, job, messageId } = await world();
    // What the crashed process got out before it died: the reply, not the record of it.
    const m = new Messenger({ appId: 'cli_cardowner0001', appSecret: 's', domain: fake.url });
    await m.replyCard(
      messageId,
      { config: { update_multi: true }, header: { title: { content: 'x' } } },
      {
        uuid: idempotencyKey(job.sourceId, 'card'),
        inThread: true,
      },
    );
    const cards = owner();
    cards.wake();
    await clock.advance(10);
    await cards.settle();
    expect(fake.botMessages()).toHaveLength(1);
    expect((await store.job(job.id))?.card.sent).toBe(1);
  });

  it('retries a failed send with backoff on its own clock, and gives up after a few', async () => {
    const { clock, store, owner, job } = await world();
    fake.faults.next.push({ route: 'reply', kind: '500' }, { route: 'reply', kind: '500' });
    const cards = owner();
    cards.wake();
    await clock.advance(10);
    await cards.idle();
    expect((await store.job(job.id))?.card).toMatchObject({ sent: 0, attempts: 1 });
    expect(fake.botMessages()).toHaveLength(0);
    await clock.advance(990); // the first try was at 0; first backoff: 1 s
    await cards.idle();
    expect((await store.job(job.id))?.card).toMatchObject({ sent: 0, attempts: 2 });
    await clock.advance(1_999); // second: 2 s, not yet
    await cards.idle();
    expect(fake.botMessages()).toHaveLength(0);
    await clock.advance(1);
    await cards.settle();
    expect(fake.botMessages()).toHaveLength(1);
    expect((await store.job(job.id))?.card).toEqual({
      messageId: fake.botMessages()[0]!.messageId,
      version: 1,
      sent: 1,
    });
  });
});
