/**
 * First + last frame and camera motion over the real receiver: which images a /video uses and in what
 * order, what reaches Jimeng (req_key, images, template_id, camera_strength), and what is refused before
 * anything is reserved.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dayOf } from '../../src/bot/day-of.js';
import { SANDBOX_CHAT, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { ALICE, contentOf, jobsOf, quiesce, testSandbox, waitFor } from '../helpers/sandbox.js';
import { png } from '../jimeng/images.js';

let sb: Sandbox;
afterEach(async () => {
  await sb?.close();
});

const tasks = (s: Sandbox) => [...s.jimeng.tasks.values()];
const textsTo = (s: Sandbox, messageId: string) =>
  s.feishu
    .botMessages()
    .filter((m) => m.parentId === messageId && m.msgType === 'text')
    .map((m) => String(contentOf(m).text));

/** A post as Feishu delivers it: a text paragraph, then one paragraph per image. */
function post(s: Sandbox, text: string, images: Buffer[], parentId?: string) {
  const keys = images.map((b) => s.feishu.addImage(b));
  return s.send({
    senderOpenId: ALICE,
    msgType: 'post',
    content: {
      title: '',
      content: [
        ...(text ? [[{ tag: 'text', text }]] : []),
        ...keys.map((k) => [{ tag: 'img', image_key: k }]),
      ],
    },
    ...(parentId ? { parentId } : {}),
  });
}

const day = png(640, 360);
const night = png(1280, 720); // the same 16:9 ratio, another size
const portrait = png(360, 640);

describe('first + last frame', () => {
  it('a post carrying two images and the command: first image = first frame, jimeng_i2v_first_tail_v30', async () => {
    sb = await testSandbox();
    const { messageId } = await post(sb, '/video 从白天到黑夜', [day, night]);
    await waitFor(() => jobsOf(sb)[0]?.state === 'delivered', 10_000, 'the video');
    const [task] = tasks(sb);
    expect(task?.reqKey).toBe('jimeng_i2v_first_tail_v30');
    expect(task?.images.map((i) => Buffer.compare(i, day))[0]).toBe(0);
    expect(Buffer.compare(task!.images[1]!, night)).toBe(0);
    expect(task?.prompt).toBe('从白天到黑夜');
    expect(jobsOf(sb)[0]).toMatchObject({ messageId, reqKey: 'jimeng_i2v_first_tail_v30' });
  });

  it('a reply to a two-image post, with --model 1080p, uses the _1080 model', async () => {
    sb = await testSandbox();
    const images = await post(sb, '', [day, night]);
    await sb.send({ senderOpenId: ALICE, text: '/video -m 1080p 日夜交替', parentId: images.messageId });
    await waitFor(() => tasks(sb).length === 1, 10_000, 'the submit');
    expect(tasks(sb)[0]?.reqKey).toBe('jimeng_i2v_first_tail_v30_1080');
    expect(Buffer.compare(tasks(sb)[0]!.images[0]!, day)).toBe(0);
  });

  it('a reply to an image whose own post carries a second image: the replied-to image is the first frame', async () => {
    sb = await testSandbox();
    const first = await sb.sendImage({ senderOpenId: ALICE, bytes: day });
    await post(sb, '/video 天黑了', [night], first.messageId);
    await waitFor(() => tasks(sb).length === 1, 10_000, 'the submit');
    const [task] = tasks(sb);
    expect(task?.reqKey).toBe('jimeng_i2v_first_tail_v30');
    expect(Buffer.compare(task!.images[0]!, day)).toBe(0);
    expect(Buffer.compare(task!.images[1]!, night)).toBe(0);
  });

  it('more than two images: the first two are used and the reply says so', async () => {
    sb = await testSandbox();
    const { messageId } = await post(sb, '/video 三张图', [day, night, png(640, 360)]);
    await waitFor(() => tasks(sb).length === 1, 10_000, 'the submit');
    expect(tasks(sb)[0]?.images).toHaveLength(2);
    await waitFor(() => textsTo(sb, messageId).length > 0, 5_000, 'the note');
    expect(textsTo(sb, messageId)).toEqual(['共 3 张图片，这次用前 2 张（第 1 张为首帧，第 2 张为尾帧）。']);
  });

  it('two images of different ratios are refused before anything is reserved, with both sizes', async () => {
    sb = await testSandbox();
    const { messageId } = await post(sb, '/video 横竖', [day, portrait]);
    await waitFor(() => textsTo(sb, messageId).length > 0, 5_000, 'the refusal');
    expect(textsTo(sb, messageId)[0]).toBe(
      '⚠️ 首帧和尾帧两张图片的比例需要一致（现在是 640×360 和 360×640），请换成比例相同的两张图片。',
    );
    await quiesce(sb);
    expect(jobsOf(sb)).toHaveLength(0);
    expect(tasks(sb)).toHaveLength(0);
    const today = dayOf(Date.now(), sb.config.quota.timezone);
    expect((await sb.app.store.quotaState({ user: ALICE, chat: SANDBOX_CHAT, day: today })).used).toBe(0);
  });

  it('in English', async () => {
    sb = await testSandbox({ BOT_LOCALE: 'en' });
    const { messageId } = await post(sb, '/video portrait', [day, portrait]);
    await waitFor(() => textsTo(sb, messageId).length > 0, 5_000, 'the refusal');
    expect(textsTo(sb, messageId)[0]).toBe(
      '⚠️ The first and last frame must have the same aspect ratio (these are 640×360 and 360×640): send two images of the same shape.',
    );
    const three = await post(sb, '/video three', [day, night, night]);
    await waitFor(() => textsTo(sb, three.messageId).length > 0, 10_000, 'the note');
    expect(textsTo(sb, three.messageId)[0]).toBe(
      '3 images; using the first 2 (first frame, then last frame).',
    );
  });
});

describe('camera motion', () => {
  it('--camera by Chinese name or id, --strength: jimeng_i2v_recamera_v30 with template_id and camera_strength', async () => {
    sb = await testSandbox();
    const image = await sb.sendImage({ senderOpenId: ALICE, bytes: day });
    await sb.send({
      senderOpenId: ALICE,
      text: '/video --camera 希区柯克推进 --strength strong 人物特写',
      parentId: image.messageId,
    });
    await sb.send({ senderOpenId: ALICE, text: '/video --camera handheld 街景', parentId: image.messageId });
    await waitFor(
      () => jobsOf(sb).filter((j) => j.state === 'delivered').length === 2,
      15_000,
      'both videos',
    );
    // Both submits run at once: which reaches Jimeng first is not the point.
    const a = tasks(sb).find((t) => t.prompt === '人物特写');
    const b = tasks(sb).find((t) => t.prompt === '街景');
    expect(a).toMatchObject({
      reqKey: 'jimeng_i2v_recamera_v30',
      templateId: 'hitchcock_dolly_in',
      cameraStrength: 'strong',
      prompt: '人物特写',
    });
    expect(a?.body).toMatchObject({ template_id: 'hitchcock_dolly_in', camera_strength: 'strong' });
    // The default strength is sent explicitly.
    expect(b?.body).toMatchObject({ template_id: 'handheld', camera_strength: 'medium' });
    expect(Buffer.compare(a!.images[0]!, day)).toBe(0);
    const card = sb.feishu.getStoredMessage(jobsOf(sb)[0]!.card.messageId!)!.content;
    expect(card).toContain('希区柯克推进');
  });

  it('without an image: a reply explaining that camera motion needs one; an unknown template names /help', async () => {
    sb = await testSandbox();
    const bare = await sb.send({ senderOpenId: ALICE, text: '/video --camera 手持运镜 街景' });
    const unknown = await sb.send({ senderOpenId: ALICE, text: '/video --camera 360度 街景' });
    await waitFor(
      () => textsTo(sb, bare.messageId).length > 0 && textsTo(sb, unknown.messageId).length > 0,
      5_000,
      'both answers',
    );
    expect(textsTo(sb, bare.messageId)[0]).toBe(
      '⚠️ 运镜需要一张图片：请回复一张图片，再发送 /video --camera 模板 描述。',
    );
    expect(textsTo(sb, unknown.messageId)[0]).toContain('没有「360度」这个运镜模板');
    await quiesce(sb);
    expect(jobsOf(sb)).toHaveLength(0);
  });
});
