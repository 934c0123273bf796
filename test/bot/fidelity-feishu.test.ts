/**
 * Where Feishu is less kind than it used to be in our fakes: chats that refuse thread replies, recalled
 * commands, a bot removed from the chat, dead video links, replayed deliveries. Each over real sockets
 * against the fake Feishu taught that behaviour.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildMessageEvent,
  buildMessageRecalledEvent,
  postEvent,
} from '../../src/sandbox/lark-event-builder.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { ALICE, jobsOf, quiesce, testSandbox, waitFor } from '../helpers/sandbox.js';

let sb: Sandbox;
afterEach(async () => {
  await sb?.close();
});

const thread = (s: Sandbox, messageId: string) =>
  s.feishu.botMessages().filter((m) => m.parentId === messageId);
const jobFor = (s: Sandbox, messageId: string) => jobsOf(s).find((j) => j.messageId === messageId);
const metric = async (s: Sandbox, name: string) => {
  const text = await (await fetch(`${s.app.url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(name));
};

describe('Feishu fidelity', () => {
  it('a group that refuses thread replies (230071) still gets the card and the video; the chat is remembered', async () => {
    sb = await testSandbox();
    sb.feishu.addChat({ chatId: 'oc_flat', threads: 'refused' });
    const { messageId } = await sb.send({
      chatId: 'oc_flat',
      senderOpenId: ALICE,
      text: '/video 平铺群里的猫',
    });
    await waitFor(() => thread(sb, messageId).some((m) => m.msgType === 'media'), 10_000, 'the video');
    await quiesce(sb);
    const answers = thread(sb, messageId);
    expect(answers.map((m) => m.msgType).sort()).toEqual(['interactive', 'media']);
    expect(answers.every((m) => m.replyInThread === false)).toBe(true);
    expect(await sb.app.store.chatFacts('oc_flat')).toEqual({ threadsRefused: true });
    // One refused try in all; the next command in that chat is answered straight away.
    const refusals = () => sb.feishu.calls.filter((c) => c.route === 'reply' && c.code === 230071).length;
    expect(refusals()).toBe(1);
    const help = await sb.send({ chatId: 'oc_flat', senderOpenId: ALICE, text: '/help' });
    await waitFor(() => thread(sb, help.messageId).length === 1, 5_000, 'the help');
    expect(refusals()).toBe(1);
  });

  it('a command recalled before its job reaches Jimeng is taken back: cancelled, refunded, nothing submitted', async () => {
    // One task at a time: the first job holds the slot, so the second waits in the queue.
    sb = await testSandbox({ JIMENG_MAX_CONCURRENT: '1', QUOTA_MAX_IN_FLIGHT: '5' }, { generationMs: 1500 });
    const first = await sb.send({ senderOpenId: ALICE, text: '/video 占着名额' });
    await waitFor(
      () => thread(sb, first.messageId).length === 1 && sb.jimeng.tasks.size === 1,
      5_000,
      'the first card',
    );
    // Feishu answers the next card reply with "The message is recalled."
    sb.feishu.faults.next.push({
      route: 'reply',
      kind: 'code',
      code: 230011,
      msg: 'The message is recalled.',
      httpStatus: 400,
    });
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 撤回的命令' });
    await waitFor(() => jobFor(sb, messageId)?.state === 'cancelled', 5_000, 'the job taken back');
    await waitFor(() => jobFor(sb, first.messageId)?.state === 'delivered', 10_000, 'the first video');
    await quiesce(sb);
    const job = jobFor(sb, messageId)!;
    expect(job).toMatchObject({ charge: 'refunded', error: { code: 'CANCELLED_RECALLED' } });
    expect([...sb.jimeng.tasks.values()].map((t) => t.prompt)).toEqual(['占着名额']);
    expect(thread(sb, messageId)).toHaveLength(0);
    expect((await sb.app.store.ledgerSince(0)).find((e) => e.jobId === job.id)?.outcome).toBe('refunded');
  });

  it('a recall event for a queued command takes its job back; a running one answers in the chat', async () => {
    sb = await testSandbox({ JIMENG_MAX_CONCURRENT: '1', QUOTA_MAX_IN_FLIGHT: '5' }, { generationMs: 1500 });
    const first = await sb.send({ senderOpenId: ALICE, text: '/video 先到的' });
    const second = await sb.send({ senderOpenId: ALICE, text: '/video 后到的，会被撤回' });
    await waitFor(
      () =>
        jobFor(sb, second.messageId)?.state === 'queued' &&
        sb.jimeng.tasks.size === 1 &&
        thread(sb, first.messageId).length === 1,
      5_000,
      'one running, one queued',
    );
    const recall = (messageId: string) =>
      postEvent(
        sb.webhookUrl,
        buildMessageRecalledEvent({
          appId: sb.config.lark.appId,
          token: sb.config.lark.verificationToken,
          messageId,
          chatId: 'oc_sandbox_group',
        }),
        { encryptKey: sb.config.lark.encryptKey },
      );
    expect((await recall(second.messageId)).status).toBe(200);
    expect((await recall(first.messageId)).status).toBe(200);
    sb.feishu.recall(first.messageId);
    await waitFor(() => jobFor(sb, first.messageId)?.state === 'delivered', 10_000, 'the first video');
    await quiesce(sb);
    expect(jobFor(sb, second.messageId)).toMatchObject({ state: 'cancelled', charge: 'refunded' });
    expect([...sb.jimeng.tasks.values()].map((t) => t.prompt)).toEqual(['先到的']);
    // The video of the recalled command went to the chat as a new message, with a mention of the user.
    const posted = sb.feishu.botMessages('oc_sandbox_group').filter((m) => !m.parentId);
    expect(posted.map((m) => m.msgType).sort()).toEqual(['media', 'text']);
    const notice = posted.find((m) => m.msgType === 'text')!;
    expect(String(JSON.parse(notice.sentContent ?? notice.content).text)).toContain(
      `<at user_id="${ALICE}"></at>`,
    );
    expect(thread(sb, first.messageId).filter((m) => m.msgType === 'media')).toHaveLength(0);
  });

  it('the bot removed from the chat mid-generation: the job is undeliverable, logged once, counted, nothing else sent', async () => {
    sb = await testSandbox({}, { generationMs: 800 });
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 机器人被移出群' });
    await waitFor(
      () => thread(sb, messageId).length === 1 && sb.jimeng.tasks.size === 1,
      5_000,
      'the card and the task',
    );
    sb.feishu.removeBot('oc_sandbox_group');
    const sendsBefore = sb.feishu.botMessages().length;
    await waitFor(() => jobFor(sb, messageId)?.undeliverable, 10_000, 'undeliverable');
    await quiesce(sb);
    expect(jobFor(sb, messageId)).toMatchObject({ state: 'failed', error: { code: 'UNDELIVERABLE' } });
    expect(sb.feishu.botMessages()).toHaveLength(sendsBefore);
    expect(await metric(sb, 'bot_undeliverable_total')).toEqual(['bot_undeliverable_total 1']);
  });

  it('a failed media reply is retried with the file already uploaded: the video is downloaded once', async () => {
    sb = await testSandbox();
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 只下载一次' });
    await waitFor(() => thread(sb, messageId).length === 1, 5_000, 'the card');
    // The media reply fails (each attempt: the messenger's own retries, then the delivery's backoff).
    for (let i = 0; i < 8; i++) sb.feishu.faults.next.push({ route: 'reply', kind: '500' });
    await waitFor(() => thread(sb, messageId).some((m) => m.msgType === 'media'), 15_000, 'the video');
    expect(sb.jimeng.stats.videoDownloads).toBe(1);
    expect(sb.feishu.uploads).toHaveLength(1);
    expect(jobFor(sb, messageId)?.delivery?.attempts).toBeGreaterThanOrEqual(1);
  });

  it('a dead video link is never offered as if it worked', async () => {
    sb = await testSandbox({}, { simulator: { videoTtlMs: 1 } });
    for (let i = 0; i < 40; i++) sb.feishu.faults.next.push({ route: 'upload', kind: '500' });
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 链接过期' });
    await waitFor(() => jobFor(sb, messageId)?.state === 'failed', 10_000, 'the failure');
    await quiesce(sb);
    expect(jobFor(sb, messageId)?.error?.code).toBe('VIDEO_EXPIRED');
    const texts = thread(sb, messageId).map((m) => m.content);
    expect(texts.join('\n')).not.toContain('/videos/');
  });

  it('replays are dropped: a message created days ago, and a request signed days ago', async () => {
    sb = await testSandbox();
    const { appId, verificationToken: token, encryptKey } = sb.config.lark;
    const old = buildMessageEvent({
      appId,
      token,
      chatId: 'oc_sandbox_group',
      chatType: 'group',
      senderOpenId: ALICE,
      msgType: 'text',
      content: { text: '/video 三天前的消息' },
      createTime: Date.now() - 3 * 86_400_000,
    });
    expect((await postEvent(sb.webhookUrl, old, { encryptKey })).status).toBe(200);
    const fresh = buildMessageEvent({
      appId,
      token,
      chatId: 'oc_sandbox_group',
      chatType: 'group',
      senderOpenId: ALICE,
      msgType: 'text',
      content: { text: '/video 两天前签名的' },
    });
    const twoDaysAgo = String(Math.floor(Date.now() / 1000) - 2 * 86_400);
    expect((await postEvent(sb.webhookUrl, fresh, { encryptKey, timestamp: twoDaysAgo })).status).toBe(200);
    await quiesce(sb);
    expect(jobsOf(sb)).toHaveLength(0);
    expect(sb.jimeng.stats.submits).toBe(0);
    expect(await metric(sb, 'lark_events_total{outcome="stale')).toHaveLength(2);
  });
});
