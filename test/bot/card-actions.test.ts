/**
 * The action bar over the real receiver: clicks arrive as signed, encrypted `card.action.trigger`
 * callbacks, are answered with a toast (and the card) within the request, and make jobs of the clicker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildCardActionEvent, encryptAndSign, postEvent } from '../../src/sandbox/lark-event-builder.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import type { Job } from '../../src/store/records.js';
import { ADMIN, ALICE, BOB, jobsOf, quiesce, testSandbox, waitFor } from '../helpers/sandbox.js';

let sb: Sandbox;
afterEach(async () => {
  await sb?.close();
});

const jobFor = (s: Sandbox, messageId: string) => jobsOf(s).find((j) => j.messageId === messageId);
const cardOf = (s: Sandbox, job: Job) => s.feishu.getStoredMessage(job.card.messageId!)!;
const actionsOn = (s: Sandbox, job: Job) => {
  const card = cardOf(s, job).content;
  return [...card.matchAll(/"action":"(\w+)"/g)].map((m) => m[1]);
};

function click(
  s: Sandbox,
  input: {
    operator: string;
    job: Job;
    action: string;
    formValue?: Record<string, unknown>;
    eventId?: string;
  },
) {
  const event = buildCardActionEvent({
    appId: s.config.lark.appId,
    token: s.config.lark.verificationToken,
    operatorOpenId: input.operator,
    value: { action: input.action, job: input.job.id },
    ...(input.formValue ? { formValue: input.formValue, tag: 'button', name: 'edit_submit' } : {}),
    messageId: input.job.card.messageId!,
    chatId: input.job.chatId,
    ...(input.eventId ? { eventId: input.eventId } : {}),
  });
  return postEvent(s.webhookUrl, event, { encryptKey: s.config.lark.encryptKey }) as Promise<{
    status: number;
    body: { toast?: { type: string; content: string }; card?: { type: string; data: object } };
  }>;
}

async function delivered(s: Sandbox, text: string, user = ALICE): Promise<Job> {
  const { messageId } = await s.send({ senderOpenId: user, text });
  await waitFor(
    () =>
      jobFor(s, messageId)?.state === 'delivered' &&
      jobFor(s, messageId)?.card.sent === jobFor(s, messageId)?.card.version,
    10_000,
    'the video and its card',
  );
  return jobFor(s, messageId)!;
}

describe('card buttons', () => {
  it('the result card offers 再来一个 / 高清版 / 10 秒版 / 改提示词 with their costs; a click is a new job of the clicker', async () => {
    sb = await testSandbox();
    const first = await delivered(sb, '/video --seed 42 橘猫打哈欠');
    expect(actionsOn(sb, first)).toEqual(['reroll', 'hd', 'long', 'edit']);
    const card = cardOf(sb, first).content;
    for (const label of ['再来一个 · ¥3.0', '高清版 · ¥4.0', '10 秒版 · ¥6.0', '改提示词 · ¥3.0'])
      expect(card).toContain(label);
    expect(card).toContain('"name":"prompt"');

    const res = await click(sb, { operator: BOB, job: first, action: 'reroll' });
    expect(res.status).toBe(200);
    expect(res.body.toast).toMatchObject({ type: 'success' });
    expect(res.body.toast?.content).toMatch(/^已加入队列，第 \d 位/);
    expect(JSON.stringify(res.body.card?.data)).toContain('再来一个 · 已加入队列');
    const reroll = jobsOf(sb).find((j) => j.origin?.action === 'reroll')!;
    expect(reroll).toMatchObject({
      userOpenId: BOB,
      prompt: '橘猫打哈欠',
      reqKey: 'jimeng_t2v_v30',
      duration: 5,
      messageId: first.card.messageId,
    });
    expect(reroll.seed).not.toBe(42);
    expect(reroll.seed).toBeGreaterThanOrEqual(0);
    // Its own card and video, in the same thread (replies to the clicked card).
    await waitFor(() => jobFor(sb, first.card.messageId!)?.state === 'delivered', 10_000, 'the second video');
    const inThread = sb.feishu.botMessages().filter((m) => m.parentId === first.card.messageId);
    expect(inThread.map((m) => m.msgType).sort()).toEqual(['interactive', 'media']);
    // It is Bob's: his quota, not Alice's.
    expect((await sb.app.store.quotaState({ user: BOB, chat: first.chatId, day: first.day })).used).toBe(1);
  });

  it('高清版 keeps the seed at 1080P, 10 秒版 keeps it at 10 s, 改提示词 takes the form; hidden where they would change nothing', async () => {
    sb = await testSandbox({ QUOTA_MAX_IN_FLIGHT: '5' });
    const first = await delivered(sb, '/video --seed 7 海边日落');
    await click(sb, { operator: ALICE, job: first, action: 'hd' });
    await click(sb, { operator: ALICE, job: first, action: 'long' });
    const edit = await click(sb, {
      operator: ALICE,
      job: first,
      action: 'edit',
      formValue: { prompt: '海边日出\n镜头2：海鸥飞过' },
    });
    expect(edit.body.toast?.type, edit.body.toast?.content).toBe('success');
    const made = (a: string) => jobsOf(sb).find((j) => j.origin?.action === a)!;
    expect(made('hd')).toMatchObject({ reqKey: 'jimeng_t2v_v30_1080p', tier: '1080p', seed: 7, costYuan: 4 });
    expect(made('long')).toMatchObject({ reqKey: 'jimeng_t2v_v30', duration: 10, seed: 7, costYuan: 6 });
    expect(made('edit')).toMatchObject({ prompt: '海边日出\n镜头2：海鸥飞过', seed: 7 });
    const settled = (a: string) => {
      const j = made(a);
      return j.state === 'delivered' && j.card.sent === j.card.version;
    };
    await waitFor(() => settled('hd') && settled('long'), 15_000, 'the variants and their final cards');
    const hd = made('hd');
    expect(actionsOn(sb, hd)).toEqual(['reroll', 'long', 'edit']);
    expect(actionsOn(sb, made('long'))).toEqual(['reroll', 'hd', 'edit']);
    // A stale card's button that would change nothing says so.
    expect((await click(sb, { operator: ALICE, job: hd, action: 'hd' })).body.toast?.content).toBe(
      '这个视频已经是高清的了',
    );
    expect(
      (await click(sb, { operator: ALICE, job: first, action: 'edit', formValue: { prompt: '  ' } })).body
        .toast?.content,
    ).toBe('提示词不能为空');
  });

  it('a callback delivered twice and a double click make one job; a refusal by quota and a forged callback make none', async () => {
    sb = await testSandbox({ QUOTA_USER_DAILY: '2' });
    const first = await delivered(sb, '/video 双击');
    const twice = await Promise.all([
      click(sb, { operator: ALICE, job: first, action: 'reroll', eventId: 'ev_same' }),
      click(sb, { operator: ALICE, job: first, action: 'reroll', eventId: 'ev_same' }),
    ]);
    expect(twice.map((r) => r.status)).toEqual([200, 200]);
    const again = await click(sb, { operator: ALICE, job: first, action: 'reroll' });
    expect(again.body.toast?.content).toMatch(/不会重复生成/);
    expect(jobsOf(sb).filter((j) => j.origin?.action === 'reroll')).toHaveLength(1);
    // Alice has used both of today's videos: the next click is refused with the reason.
    const refused = await click(sb, { operator: ALICE, job: first, action: 'long' });
    expect(refused.body.toast).toMatchObject({ type: 'warning' });
    expect(refused.body.toast?.content).toContain('你今天的视频额度已用完（2/2）');
    expect(jobsOf(sb).filter((j) => j.origin?.action === 'long')).toHaveLength(0);
    // A forged callback is refused like a forged event.
    const event = buildCardActionEvent({
      appId: sb.config.lark.appId,
      token: sb.config.lark.verificationToken,
      operatorOpenId: BOB,
      value: { action: 'reroll', job: first.id },
      messageId: first.card.messageId!,
      chatId: first.chatId,
    });
    const { rawBody, headers } = encryptAndSign({ payload: event, encryptKey: sb.config.lark.encryptKey });
    headers['X-Lark-Signature'] = '0'.repeat(64);
    expect(
      (await fetch(sb.webhookUrl.replace('/event', '/card'), { method: 'POST', headers, body: rawBody }))
        .status,
    ).toBe(401);
    await quiesce(sb);
    expect(jobsOf(sb).filter((j) => j.userOpenId === BOB)).toHaveLength(0);
  });

  it('取消 on a queued card: the owner or an admin only; refunded; a job that no longer exists says so', async () => {
    sb = await testSandbox({ JIMENG_MAX_CONCURRENT: '1', QUOTA_MAX_IN_FLIGHT: '5' }, { generationMs: 2_000 });
    await sb.send({ senderOpenId: ALICE, text: '/video 先占位' });
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 排队中的' });
    await waitFor(
      () => jobFor(sb, messageId)?.state === 'queued' && jobFor(sb, messageId)?.card.sent,
      5_000,
      'the queued card',
    );
    const queued = jobFor(sb, messageId)!;
    expect(actionsOn(sb, queued)).toEqual(['cancel']);
    // The cost is shown before any money is spent.
    expect(cardOf(sb, queued).content).toContain('**预计费用**：约 3.00 元');
    const notYours = await click(sb, { operator: BOB, job: queued, action: 'cancel' });
    expect(notYours.body.toast?.content).toBe('只能取消自己的任务。');
    expect(jobFor(sb, messageId)?.state).toBe('queued');
    const mine = await click(sb, { operator: ADMIN, job: queued, action: 'cancel' });
    expect(mine.body.toast).toMatchObject({
      type: 'success',
      content: `🚫 已取消任务 ${queued.id}，额度已退回。`,
    });
    expect(JSON.stringify(mine.body.card?.data)).toContain('🚫 已取消');
    expect(jobFor(sb, messageId)).toMatchObject({ state: 'cancelled', charge: 'refunded' });
    const gone = await click(sb, { operator: ALICE, job: { ...queued, id: 'J9ZZZ' }, action: 'reroll' });
    expect(gone.body.toast?.content).toMatch(/任务 J9ZZZ 已不存在/);
  });

  it('a failure the user can retry has 重试 (same parameters, a new job, quota-checked); a refused input has none', async () => {
    sb = await testSandbox();
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video --seed 9 -d 10 FAIL 海浪' });
    const failedCard = () => {
      const j = jobFor(sb, messageId);
      return j?.state === 'failed' && j.card.sent === j.card.version ? j : undefined;
    };
    const failed = await waitFor(failedCard, 10_000, 'the failure card');
    expect(failed.error?.code).toBe('INTERNAL');
    expect(actionsOn(sb, failed)).toEqual(['retry']);
    const card = cardOf(sb, failed).content;
    expect(card).toContain('重试 · ¥6.0');
    expect(card).toContain('额度和费用已退回');
    const res = await click(sb, { operator: ALICE, job: failed, action: 'retry' });
    expect(res.body.toast?.type).toBe('success');
    const retry = jobsOf(sb).find((j) => j.origin?.action === 'retry')!;
    expect(retry).toMatchObject({ prompt: 'FAIL 海浪', seed: 9, duration: 10, userOpenId: ALICE });

    const risky = await sb.send({ senderOpenId: ALICE, text: '/video RISK 不当内容' });
    const refused = await waitFor(() => {
      const j = jobFor(sb, risky.messageId);
      return j?.state === 'failed' && j.card.sent === j.card.version ? j : undefined;
    });
    expect(actionsOn(sb, refused)).toEqual([]);
    expect((await click(sb, { operator: ALICE, job: refused, action: 'retry' })).body.toast?.content).toMatch(
      /^这次失败重试也不会变/,
    );
  });

  it('the buttons speak English with BOT_LOCALE=en', async () => {
    sb = await testSandbox({ BOT_LOCALE: 'en' });
    const first = await delivered(sb, '/video a cat');
    const card = cardOf(sb, first).content;
    for (const label of ['Again · ¥3.0', 'HD · ¥4.0', '10 s · ¥6.0', 'Edit prompt · ¥3.0'])
      expect(card).toContain(label);
    const res = await click(sb, { operator: BOB, job: first, action: 'reroll' });
    expect(res.body.toast?.content).toMatch(/^Queued, #\d \(job J/);
  });
});

describe('seeds, modes and prompts', () => {
  it('every submit carries an explicit seed: the user’s, else one the bot picks (never -1), shown on the card', async () => {
    sb = await testSandbox();
    const a = await delivered(sb, '/video --seed 42 指定种子');
    const b = await delivered(sb, '/video 随机种子');
    const c = await delivered(sb, '/video --seed -1 负一');
    const sent = [...sb.jimeng.tasks.values()].map((t) => t.requestedSeed);
    expect(sent[0]).toBe(42);
    for (const s of sent) expect(s).toBeGreaterThanOrEqual(0);
    expect(sent.every((s) => s < 2 ** 31 - 1)).toBe(true);
    expect(b.seed).toBe(sent[1]);
    expect(c.seed).toBe(sent[2]);
    expect(cardOf(sb, a).content).toContain('**种子**：42');
  });

  it('a multi-line prompt keeps its lines to the submit and on the card', async () => {
    sb = await testSandbox();
    const prompt = '镜头1：清晨的城市\n镜头2：咖啡冒着热气\n镜头3：人们走向地铁';
    const job = await delivered(sb, `/video ${prompt}`);
    expect([...sb.jimeng.tasks.values()][0]?.prompt).toBe(prompt);
    expect(JSON.parse(cardOf(sb, job).content).body.elements[1].text.content).toBe(prompt);
  });
});
