import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMessageEvent, encryptAndSign, postEvent } from '../../src/sandbox/lark-event-builder.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { ALICE, BOB, contentOf, jobsOf, quiesce, testSandbox, waitFor } from '../helpers/sandbox.js';
import { jpeg, png } from '../jimeng/images.js';

let sb: Sandbox;
afterEach(async () => {
  await sb?.close();
});

const replies = (s: Sandbox, messageId: string) =>
  s.feishu.botMessages().filter((m) => m.parentId === messageId || m.rootId === messageId);
const media = (s: Sandbox, messageId: string) => replies(s, messageId).filter((m) => m.msgType === 'media');
const textOf = (s: Sandbox, messageId: string) =>
  replies(s, messageId)
    .filter((m) => m.msgType === 'text')
    .map((m) => String(contentOf(m).text))
    .join('\n');
const cardTitle = (s: Sandbox, messageId: string) => {
  const card = replies(s, messageId).find((m) => m.msgType === 'interactive');
  return card
    ? (contentOf(card) as { header: { title: { content: string } } }).header.title.content
    : undefined;
};
const tasks = (s: Sandbox) => [...s.jimeng.tasks.values()];

describe('/video end to end (encrypted events → real app → fake Feishu + Jimeng simulator)', () => {
  it('text-to-video: card in the thread, video re-hosted into Feishu and sent as media', async () => {
    sb = await testSandbox();
    const { messageId, status } = await sb.send({ senderOpenId: ALICE, text: '/video 橘猫打哈欠' });
    expect(status).toBe(200);
    const video = await waitFor(() => media(sb, messageId)[0], 10_000, 'media answer');

    const [task] = tasks(sb);
    expect(tasks(sb)).toHaveLength(1);
    expect(task).toMatchObject({
      reqKey: 'jimeng_t2v_v30',
      prompt: '橘猫打哈欠',
      frames: 121,
      aspectRatio: '16:9',
    });
    // The video bytes were downloaded from Jimeng and uploaded to Feishu with their duration.
    const upload = sb.feishu.uploads.find((u) => u.fileKey === contentOf(video).file_key);
    expect(upload).toMatchObject({ fileType: 'mp4', duration: 5000 });
    const sample = readFileSync(join(import.meta.dirname, '../../src/sandbox/assets/sample.mp4'));
    expect(upload?.bytes.equals(sample)).toBe(true);
    expect(video.replyInThread).toBe(true);
    // One card, patched in place (few updates), ending "done" with cost and the link.
    const cards = replies(sb, messageId).filter((m) => m.msgType === 'interactive');
    expect(cards).toHaveLength(1);
    // The card is patched to "done" right after the video is sent.
    await waitFor(() => cardTitle(sb, messageId) === '✅ 视频已生成', 5_000, 'card says done');
    expect(cards[0]!.content).toContain('3.00 元');
    expect(sb.feishu.patches.filter((p) => p.messageId === cards[0]!.messageId).length).toBeLessThanOrEqual(
      3,
    );
    // Persisted as delivered on disk.
    const onDisk = await FileStore.inspect({ dir: sb.config.dataDir });
    expect(onDisk.jobs[0]).toMatchObject({ state: 'delivered', messageId, taskId: task!.id });
  });

  it('passes options through: model, duration, ratio and seed (short and full-width forms)', async () => {
    sb = await testSandbox();
    const { messageId } = await sb.send({
      senderOpenId: ALICE,
      text: '/video --model 1080p -d 10　９：１６ --seed 42 海边日落延时',
    });
    await waitFor(() => media(sb, messageId)[0], 10_000, 'media answer');
    expect(tasks(sb)[0]).toMatchObject({
      reqKey: 'jimeng_t2v_v30_1080p',
      frames: 241,
      aspectRatio: '9:16',
      requestedSeed: 42,
      prompt: '海边日落延时',
    });
    expect(sb.feishu.uploads[0]?.duration).toBe(10_000);
  });

  it('reply to an image: the exact image bytes reach Jimeng (first-frame model)', async () => {
    sb = await testSandbox();
    const bytes = jpeg(1280, 720, { padTo: 5000 });
    const image = await sb.sendImage({ senderOpenId: BOB, bytes });
    const { messageId } = await sb.send({
      senderOpenId: ALICE,
      text: '/video 让它动起来',
      parentId: image.messageId,
    });
    await waitFor(() => media(sb, messageId)[0], 10_000, 'media answer');
    const [task] = tasks(sb);
    expect(task?.reqKey).toBe('jimeng_i2v_first_v30');
    expect(task?.images).toHaveLength(1);
    expect(task?.images[0]?.equals(bytes)).toBe(true);
    expect(task?.aspectRatio).toBeUndefined();
  });

  it('a post carrying an image and the command is image-to-video too', async () => {
    sb = await testSandbox();
    const bytes = png(800, 600, 2000);
    const imageKey = sb.feishu.addImage(bytes);
    const { messageId } = await sb.send({
      senderOpenId: ALICE,
      msgType: 'post',
      content: {
        zh_cn: {
          title: '',
          content: [
            [{ tag: 'text', text: '/video --model pro 镜头缓缓推进' }],
            [{ tag: 'img', image_key: imageKey }],
          ],
        },
      },
    });
    await waitFor(() => media(sb, messageId)[0], 10_000, 'media answer');
    expect(tasks(sb)[0]?.reqKey).toBe('jimeng_ti2v_v30_pro');
    expect(tasks(sb)[0]?.images[0]?.equals(bytes)).toBe(true);
  });

  it('a reply to a text message is plain text-to-video', async () => {
    sb = await testSandbox();
    const parent = await sb.send({ senderOpenId: BOB, text: '今天天气不错' });
    const { messageId } = await sb.send({
      senderOpenId: ALICE,
      text: '/video 晴天的草原',
      parentId: parent.messageId,
    });
    await waitFor(() => media(sb, messageId)[0], 10_000, 'media answer');
    expect(tasks(sb)[0]).toMatchObject({ reqKey: 'jimeng_t2v_v30', images: [] });
  });

  it('an image Jimeng would reject is refused before anything is spent', async () => {
    sb = await testSandbox();
    const gif = Buffer.from('GIF89a\x40\x01\xf0\x00\x00\x00\x00', 'latin1');
    const image = await sb.sendImage({ senderOpenId: ALICE, bytes: gif });
    const { messageId } = await sb.send({
      senderOpenId: ALICE,
      text: '/video 动起来',
      parentId: image.messageId,
    });
    await waitFor(() => textOf(sb, messageId), 5000, 'refusal');
    expect(textOf(sb, messageId)).toMatch(/JPEG|PNG/);
    const tiny = await sb.sendImage({ senderOpenId: ALICE, bytes: png(100, 100) });
    const second = await sb.send({ senderOpenId: ALICE, text: '/video 动起来', parentId: tiny.messageId });
    await waitFor(() => textOf(sb, second.messageId), 5000, 'refusal');
    expect(textOf(sb, second.messageId)).toContain('320');
    expect(sb.jimeng.calls).toHaveLength(0);
    expect(jobsOf(sb)).toHaveLength(0);
  });

  it('re-pushed deliveries of one message yield one job and one answer', async () => {
    sb = await testSandbox();
    const first = await sb.send({ senderOpenId: ALICE, text: '/video 下雪的京都' });
    const again = await Promise.all(
      Array.from({ length: 5 }, () =>
        sb.send({ senderOpenId: ALICE, text: '/video 下雪的京都', messageId: first.messageId }),
      ),
    );
    expect(again.every((r) => r.status === 200)).toBe(true);
    await waitFor(() => media(sb, first.messageId)[0], 10_000, 'media answer');
    await sb.send({ senderOpenId: ALICE, text: '/video 下雪的京都', messageId: first.messageId });
    await quiesce(sb);
    expect(jobsOf(sb)).toHaveLength(1);
    expect(tasks(sb)).toHaveLength(1);
    expect(replies(sb, first.messageId).filter((m) => m.msgType !== 'interactive')).toHaveLength(1);
  });

  it('forged, unsigned, malformed and oversized deliveries are refused and change nothing', async () => {
    sb = await testSandbox();
    const event = buildMessageEvent({
      appId: sb.config.lark.appId,
      token: sb.config.lark.verificationToken,
      chatId: 'oc_x',
      chatType: 'group',
      senderOpenId: ALICE,
      msgType: 'text',
      content: { text: '/video 伪造' },
    });
    const forged = await postEvent(sb.webhookUrl, event, { encryptKey: 'not-the-key' });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(sb.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: encryptAndSign({ payload: event, encryptKey: sb.config.lark.encryptKey }).rawBody,
    });
    expect(unsigned.status).toBe(401);
    const wrongToken = await postEvent(
      sb.webhookUrl,
      { ...event, header: { ...event.header, token: 'wrong' } },
      { encryptKey: sb.config.lark.encryptKey },
    );
    expect(wrongToken.status).toBe(401);
    const malformed = await fetch(sb.webhookUrl, { method: 'POST', body: '{"encrypt": 12' });
    expect(malformed.status).toBe(400);
    const huge = await fetch(sb.webhookUrl, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    await quiesce(sb);
    expect(jobsOf(sb)).toHaveLength(0);
    expect(sb.feishu.botMessages()).toHaveLength(0);
    const health = await fetch(`${sb.app.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('content risk: the card says to rephrase, nothing is delivered, the quota comes back', async () => {
    sb = await testSandbox({ QUOTA_USER_DAILY: '1' });
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video RISK 敏感内容' });
    await waitFor(() => cardTitle(sb, messageId) === '❌ 生成失败', 10_000, 'failed card');
    const card = replies(sb, messageId).find((m) => m.msgType === 'interactive')!;
    expect(card.content).toMatch(/提示词|描述/);
    expect(media(sb, messageId)).toHaveLength(0);
    expect(jobsOf(sb)[0]).toMatchObject({ state: 'failed', charge: 'refunded' });
    // The refunded quota lets the same user (quota 1) try again.
    const second = await sb.send({ senderOpenId: ALICE, text: '/video 橘猫' });
    await waitFor(() => media(sb, second.messageId)[0], 10_000, 'media answer');
  });

  it('a failed generation is reported on the card in plain Chinese', async () => {
    sb = await testSandbox();
    sb.jimeng.faults.failNextTasks = 1;
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 会失败的视频' });
    await waitFor(() => cardTitle(sb, messageId) === '❌ 生成失败', 10_000, 'failed card');
    expect(media(sb, messageId)).toHaveLength(0);
    expect(jobsOf(sb)[0]?.state).toBe('failed');
  });

  it('Jimeng busy (50430) on submit: the card says it will retry, then the video arrives; one task', async () => {
    sb = await testSandbox();
    sb.jimeng.inject('concurrency', 'concurrency', 'concurrency', 'concurrency', 'concurrency');
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 繁忙时段' });
    await waitFor(() => media(sb, messageId)[0], 10_000, 'media answer');
    expect(sb.jimeng.stats.concurrencyLimited).toBe(5);
    expect(tasks(sb)).toHaveLength(1);
    expect(jobsOf(sb)[0]?.busyRetries).toBeGreaterThanOrEqual(1);
    expect(sb.feishu.patches.some((p) => p.content.includes('自动重试'))).toBe(true);
  });

  it('answers /help, /models and bad options in the thread; ignores group chatter', async () => {
    sb = await testSandbox();
    const help = await sb.send({ senderOpenId: ALICE, text: '/help' });
    const models = await sb.send({ senderOpenId: ALICE, text: '/models' });
    const bad = await sb.send({ senderOpenId: ALICE, text: '/video --duration 7 小狗' });
    const chatter = await sb.send({ senderOpenId: ALICE, text: '大家中午吃什么' });
    await waitFor(
      () => textOf(sb, help.messageId) && textOf(sb, models.messageId) && textOf(sb, bad.messageId),
    );
    expect(textOf(sb, help.messageId)).toContain('/video');
    expect(textOf(sb, models.messageId)).toContain('1080');
    expect(textOf(sb, bad.messageId)).toMatch(/5|10/);
    await quiesce(sb);
    expect(replies(sb, chatter.messageId)).toHaveLength(0);
    expect(sb.jimeng.calls).toHaveLength(0);
  });

  it('a typo of /video in a group gets a hint without a mention; another bot’s command gets nothing', async () => {
    sb = await testSandbox();
    const typo = await sb.send({ senderOpenId: ALICE, text: '/vidoe 橘猫打哈欠' });
    const other = await sb.send({ senderOpenId: ALICE, text: '/quote 今天' });
    await waitFor(() => textOf(sb, typo.messageId), 5_000, 'the hint');
    expect(textOf(sb, typo.messageId)).toBe(
      '没有 /vidoe 这个命令，你是不是想用 /video？发送 /help 查看全部用法。',
    );
    await quiesce(sb);
    expect(replies(sb, other.messageId)).toHaveLength(0);
    expect(sb.jimeng.calls).toHaveLength(0);
  });

  it('a bare @bot in a group gets a short help; @bot /video works', async () => {
    sb = await testSandbox();
    const bot = { key: '@_user_1', openId: sb.feishu.botOpenId, name: '即梦视频助手' };
    const bare = await sb.send({ senderOpenId: ALICE, text: '@_user_1', mentions: [bot] });
    const cmd = await sb.send({
      senderOpenId: ALICE,
      text: '@_user_1 /video 雨中的霓虹街道',
      mentions: [bot],
    });
    await waitFor(() => textOf(sb, bare.messageId), 5000, 'help');
    await waitFor(() => media(sb, cmd.messageId)[0], 10_000, 'media');
    expect(tasks(sb)[0]?.prompt).toBe('雨中的霓虹街道');
  });

  it('exposes Prometheus metrics: jobs by state, queue depth, Jimeng calls by code', async () => {
    sb = await testSandbox();
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 指标' });
    await waitFor(
      () => jobsOf(sb).find((j) => j.messageId === messageId)?.state === 'delivered',
      10_000,
      'delivered',
    );
    // The answer time is observed right after the delivered transition returns: wait for it, not a timer.
    let text = '';
    await waitFor(
      async () => {
        text = await (await fetch(`${sb.app.url}/metrics`)).text();
        return /bot_time_to_answer_seconds_count\{outcome="delivered"\} 1/.test(text);
      },
      5_000,
      'the answer time metric',
    );
    expect(text).toMatch(/bot_jobs\{state="delivered"\} 1/);
    expect(text).toMatch(/bot_queue_depth 0/);
    expect(text).toMatch(/jimeng_calls_total\{action="CVSync2AsyncSubmitTask",code="10000"\} 1/);
    expect(text).toMatch(/bot_time_to_answer_seconds_count\{outcome="delivered"\} 1/);
  });
});
