import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_CHAT, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { ADMIN, ALICE, BOB, contentOf, dumpOf, jobsOf, testSandbox, waitFor } from '../helpers/sandbox.js';

let sb: Sandbox;
afterEach(async () => {
  await sb?.close();
});

const replies = (s: Sandbox, messageId: string) =>
  s.feishu.botMessages().filter((m) => m.parentId === messageId || m.rootId === messageId);
const textOf = (s: Sandbox, messageId: string) =>
  replies(s, messageId)
    .filter((m) => m.msgType === 'text')
    .map((m) => String(contentOf(m).text))
    .join('\n');
const answered = (s: Sandbox, messageId: string) =>
  waitFor(() => replies(s, messageId)[0], 10_000, 'an answer');
const mediaOf = (s: Sandbox, messageId: string) => replies(s, messageId).filter((m) => m.msgType === 'media');
const aliceMention = { key: '@_user_1', openId: ALICE, name: 'Alice' };

async function say(s: Sandbox, senderOpenId: string, text: string, mentions?: (typeof aliceMention)[]) {
  const { messageId } = await s.send({ senderOpenId, text, ...(mentions ? { mentions } : {}) });
  await answered(s, messageId);
  return messageId;
}

describe('quotas and admin commands (over the real receiver)', () => {
  it("an admin sets a user's quota to 1: the second /video is refused and never submitted", async () => {
    sb = await testSandbox();
    const set = await say(sb, ADMIN, '/quota set @_user_1 1', [aliceMention]);
    expect(textOf(sb, set)).toContain('1');
    const first = await say(sb, ALICE, '/video 第一只猫');
    await waitFor(() => mediaOf(sb, first)[0], 10_000, 'first video');
    const second = await say(sb, ALICE, '/video 第二只猫');
    expect(textOf(sb, second)).toMatch(/额度已用完（1\/1）/);
    expect(sb.jimeng.stats.submits).toBe(1);
    expect([...sb.jimeng.tasks.values()].map((t) => t.prompt)).toEqual(['第一只猫']);
    // Bob is unaffected.
    const bob = await say(sb, BOB, '/video 小狗');
    expect(replies(sb, bob).some((m) => m.msgType === 'interactive')).toBe(true);
  });

  it("a non-admin's /quota set is refused politely and changes nothing", async () => {
    sb = await testSandbox({ QUOTA_USER_DAILY: '2' });
    const m = await say(sb, BOB, '/quota set @_user_1 0', [aliceMention]);
    expect(textOf(sb, m)).toContain('管理员');
    expect(dumpOf(sb).userLimits).toEqual({});
    expect(dumpOf(sb).adminLog).toEqual([]);
    const pause = await say(sb, BOB, '/pause 不给用');
    expect(textOf(sb, pause)).toContain('管理员');
    expect(dumpOf(sb).paused).toBeNull();
    const q = await say(sb, ALICE, '/quota');
    expect(textOf(sb, q)).toContain('0 / 2');
  });

  it('concurrent requests against a quota of one produce exactly one job', async () => {
    sb = await testSandbox({ QUOTA_USER_DAILY: '1', QUOTA_MAX_IN_FLIGHT: '10' });
    const sent = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sb.send({ senderOpenId: ALICE, text: `/video 并发 ${i}` })),
    );
    for (const s of sent) await answered(sb, s.messageId);
    expect(jobsOf(sb)).toHaveLength(1);
    const refusals = sent.filter((s) => textOf(sb, s.messageId).includes('额度已用完'));
    expect(refusals).toHaveLength(7);
    expect(dumpOf(sb).ledger).toHaveLength(1);
  });

  it('caps jobs in flight per user: the third is refused while two run, accepted once they are done', async () => {
    sb = await testSandbox({ QUOTA_MAX_IN_FLIGHT: '2' }, { generationMs: 1_500 });
    const a = await say(sb, ALICE, '/video 第一');
    const b = await say(sb, ALICE, '/video 第二');
    const c = await say(sb, ALICE, '/video 第三');
    expect(textOf(sb, c)).toContain('你已有 2 个任务在进行中');
    const bob = await say(sb, BOB, '/video 别人的');
    expect(replies(sb, bob).some((m) => m.msgType === 'interactive')).toBe(true);
    expect(textOf(sb, await say(sb, ALICE, '/quota'))).toContain('进行中：2 / 2');
    await waitFor(() => mediaOf(sb, a)[0] && mediaOf(sb, b)[0], 15_000, 'both videos');
    expect(textOf(sb, await say(sb, ALICE, '/quota'))).toContain('进行中：0 / 2');
    const d = await say(sb, ALICE, '/video 第四');
    expect(replies(sb, d).some((m) => m.msgType === 'interactive')).toBe(true);
    expect(jobsOf(sb).map((j) => j.prompt)).toEqual(['第一', '第二', '别人的', '第四']);
  });

  it('a content-risk failure refunds the quota and the budget', async () => {
    sb = await testSandbox({ QUOTA_USER_DAILY: '1' });
    const m = await say(sb, ALICE, '/video RISK 不当内容');
    await waitFor(() => jobsOf(sb)[0]?.state === 'failed', 10_000, 'failure');
    const day = jobsOf(sb)[0]!.day;
    expect(dumpOf(sb).usage[day]).toMatchObject({ users: { [ALICE]: 0 }, yuan: 0 });
    expect(dumpOf(sb).ledger[0]).toMatchObject({ outcome: 'refunded', user: ALICE });
    const q = await say(sb, ALICE, '/quota');
    expect(textOf(sb, q)).toContain('已用 0 / 1');
    expect(m).toBeTruthy();
  });

  it('the global budget stops new jobs and tells users why', async () => {
    // 720P × 5 s = 3 元: a 5 元 budget takes one video, not two.
    sb = await testSandbox({ BUDGET_DAILY_YUAN: '5' });
    const first = await say(sb, ALICE, '/video 预算内');
    await waitFor(() => mediaOf(sb, first)[0], 10_000, 'video');
    const second = await say(sb, BOB, '/video 超预算');
    expect(textOf(sb, second)).toMatch(/预算/);
    expect(sb.jimeng.stats.submits).toBe(1);
  });

  it('/pause stops new jobs with the reason; /resume lets them through; both are recorded in /usage', async () => {
    sb = await testSandbox();
    sb.feishu.addChat({ chatId: SANDBOX_CHAT, name: '视频创作群' });
    await say(sb, ADMIN, '/pause 月底预算盘点');
    const refused = await say(sb, ALICE, '/video 暂停中');
    expect(textOf(sb, refused)).toContain('月底预算盘点');
    expect(jobsOf(sb)).toHaveLength(0);
    await say(sb, ADMIN, '/resume');
    const ok = await say(sb, ALICE, '/video 恢复了');
    await waitFor(() => mediaOf(sb, ok)[0], 10_000, 'video');
    await say(sb, ADMIN, '/quota add @_user_1 3', [aliceMention]);
    const usage = await say(sb, ADMIN, '/usage today');
    const card = replies(sb, usage).find((m) => m.msgType === 'interactive')!;
    // The admin log reads in the reply language, users as mentions.
    expect(card.content).toContain('暂停生成（月底预算盘点）');
    expect(card.content).toContain('恢复生成');
    expect(card.content).toContain(`今天给 <at id=${ALICE}></at> 增加 3 个`);
    expect(card.content).toContain('3.00 元');
    expect(card.content).toContain('jimeng_t2v_v30');
    // Chats by name (im.chat.get), not as oc_ ids.
    expect(card.content).toContain('视频创作群');
    expect(card.content).not.toContain(SANDBOX_CHAT);
    expect(dumpOf(sb).adminLog.map((a) => a.action)).toEqual(['pause', 'resume', 'quota_add']);
  });

  it('/cancel refunds a queued job; /jobs lists own jobs with states', async () => {
    // One task at a time and slow generation: the second job waits in the queue.
    sb = await testSandbox({ JIMENG_MAX_CONCURRENT: '1', QUOTA_MAX_IN_FLIGHT: '5' }, { generationMs: 3000 });
    await say(sb, ALICE, '/video 第一个');
    await say(sb, ALICE, '/video 第二个');
    const queued = await waitFor(() => jobsOf(sb).find((j) => j.prompt === '第二个' && j.state === 'queued'));
    const list = await say(sb, ALICE, '/jobs');
    expect(textOf(sb, list)).toContain(queued.id);
    expect(textOf(sb, list)).toContain('排队中');
    const notMine = await say(sb, BOB, `/cancel ${queued.id}`);
    expect(textOf(sb, notMine)).toContain('只能取消自己的任务');
    const cancel = await say(sb, ALICE, `/cancel ${queued.id}`);
    expect(textOf(sb, cancel)).toContain('已取消');
    expect(await sb.app.store.job(queued.id)).toMatchObject({ state: 'cancelled', charge: 'refunded' });
    const day = queued.day;
    expect(dumpOf(sb).usage[day]?.users[ALICE]).toBe(1);
    // Once the first job is done its slot is free: the cancelled one is still never submitted.
    await waitFor(
      () => jobsOf(sb).find((j) => j.prompt === '第一个')?.state === 'delivered',
      10_000,
      'first video',
    );
    await sb.app.runner.settle();
    expect([...sb.jimeng.tasks.values()].map((t) => t.prompt)).toEqual(['第一个']);
  });
});
