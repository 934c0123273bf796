import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_USERS } from '../../src/sandbox/sandbox-users.js';
import { SANDBOX_CHAT, type Sandbox, sandboxStateDir } from '../../src/sandbox/start-sandbox.js';
import { png } from '../helpers/png.js';
import { contentOf, jobsOf, quiesce, testSandbox, waitFor } from '../helpers/sandbox.js';

const WANG = SANDBOX_USERS[0]!.openId;
const LI = SANDBOX_USERS[1]!.openId;
const PNG = png(480, 360);

let open: Sandbox[] = [];
afterEach(async () => {
  for (const sb of open) await sb.close();
  open = [];
});

async function start(dataDir: string): Promise<Sandbox> {
  const sb = await testSandbox(
    { DATA_DIR: dataDir },
    { stateDir: sandboxStateDir({ dataDir }), chatPage: true },
  );
  open.push(sb);
  return sb;
}

async function stop(sb: Sandbox): Promise<void> {
  await sb.close();
  open = open.filter((x) => x !== sb);
}

/** The first `snapshot` event of the page's event stream. */
async function pageSnapshot(sb: Sandbox): Promise<{ messages: { id: string; msgType: string }[] }> {
  const abort = new AbortController();
  const res = await fetch(new URL('/sandbox/events', sb.pageUrl), { signal: abort.signal });
  const reader = res.body!.getReader();
  let text = '';
  while (!/event: snapshot\ndata: .*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString('utf8');
  }
  abort.abort();
  const data = /event: snapshot\ndata: (.*)\n\n/.exec(text)![1]!;
  return JSON.parse(data);
}

describe('sandbox state folder', () => {
  it('is <DATA_DIR>/sandbox: the bot store, the chat and the ids live there, never in DATA_DIR itself', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sbx-state-'));
    const sb = await start(dataDir);
    expect(sb.stateDir).toBe(join(dataDir, 'sandbox'));
    expect(sb.config.dataDir).toBe(join(dataDir, 'sandbox'));
    await sb.send({ senderOpenId: WANG, text: '/video 橘猫打哈欠' });
    await waitFor(() => sb.feishu.botMessages().some((m) => m.msgType === 'media'), 15_000, 'the video');
    await quiesce(sb);
    await stop(sb);
    expect(existsSync(join(dataDir, 'state.json')), 'a real bot on this DATA_DIR sees no sandbox jobs').toBe(
      false,
    );
    for (const f of ['state.json', 'sandbox.json', 'feishu/journal.jsonl'])
      expect(existsSync(join(dataDir, 'sandbox', f)), f).toBe(true);
  });

  it('brings back the chat (messages, cards as patched, images, videos), the ids and the quota after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sbx-restart-'));
    const first = await start(dataDir);
    const { messageId: imageMsg } = await first.sendImage({ senderOpenId: WANG, bytes: PNG });
    await first.send({ senderOpenId: WANG, text: '/video 橘猫打哈欠' });
    await waitFor(() => first.feishu.botMessages().some((m) => m.msgType === 'media'), 15_000, 'the video');
    await quiesce(first);
    const before = structuredClone(first.feishu.messages);
    const ids = { lark: first.config.lark, jimeng: first.config.jimeng };
    const video = first.feishu.uploads[0]!;
    const imageKey = contentOf(first.feishu.getStoredMessage(imageMsg)!).image_key as string;
    await stop(first);

    const second = await start(dataDir);
    // The same app, bot and simulator keys (the chat names the bot's messages by app id; the printed
    // `jimeng check` line keeps working).
    expect(second.config.lark.appId).toBe(ids.lark.appId);
    expect(second.config.lark.encryptKey).toBe(ids.lark.encryptKey);
    expect(second.feishu.botOpenId).toBe(first.feishu.botOpenId);
    expect(second.config.jimeng.accessKeyId).toBe(ids.jimeng.accessKeyId);
    expect(second.config.jimeng.secretAccessKey).toBe(ids.jimeng.secretAccessKey);

    expect(second.feishu.messages).toEqual(before);
    const card = second.feishu.botMessages(SANDBOX_CHAT).find((m) => m.msgType === 'interactive')!;
    expect(card.content).toContain('视频已生成');
    const snap = await pageSnapshot(second);
    expect(snap.messages.map((m) => m.id)).toEqual(before.map((m) => m.messageId));

    const file = await fetch(new URL(`/sandbox/files/${video.fileKey}`, second.pageUrl));
    expect(Buffer.from(await file.arrayBuffer())).toEqual(video.bytes);
    const image = await fetch(new URL(`/sandbox/images/${imageKey}`, second.pageUrl));
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);

    // The bot's store came back from the same folder: the video made before the restart still counts.
    await second.send({ senderOpenId: WANG, text: '/quota' });
    const quota = await waitFor(
      () => second.feishu.botMessages().find((m) => m.msgType === 'text' && m.content.includes('今日额度')),
      10_000,
      'the /quota answer',
    );
    expect(contentOf(quota).text).toContain('已用 1 /');

    // A button on a card sent before the restart still reaches the bot (same app, keys and store).
    const click = await second.clickCard({
      messageId: card.messageId,
      operatorOpenId: WANG,
      value: { action: 'cancel', job: 'J0001' },
    });
    expect(click.status).toBe(200);
    expect(JSON.stringify(click.body)).toContain('J0001');

    // Replies to messages from before the restart work (the image, as for image-to-video).
    await second.send({ senderOpenId: WANG, text: '/video 让它动起来', parentId: imageMsg });
    await waitFor(() => second.jimeng.tasks.size === 1, 10_000, 'the image-to-video task');
    expect([...second.jimeng.tasks.values()][0]!.images[0]).toEqual(PNG);
  });

  it('a result card sent before a restart still makes videos after it: 再来一个 on an image-to-video card', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sbx-reroll-'));
    const first = await start(dataDir);
    const { messageId: imageMsg } = await first.sendImage({ senderOpenId: WANG, bytes: PNG });
    await first.send({ senderOpenId: WANG, text: '/video 让它动起来', parentId: imageMsg });
    await waitFor(() => first.feishu.botMessages().some((m) => m.msgType === 'media'), 15_000, 'the video');
    await quiesce(first);
    const [source] = jobsOf(first);
    expect(source).toMatchObject({ id: 'J0001', state: 'delivered', images: [expect.anything()] });
    const cardId = source!.card.messageId!;
    expect(first.feishu.getStoredMessage(cardId)!.content).toContain('再来一个');
    await stop(first);

    const second = await start(dataDir);
    const click = await second.clickCard({
      messageId: cardId,
      operatorOpenId: LI,
      value: { action: 'reroll', job: 'J0001' },
    });
    expect(click.status).toBe(200);
    expect(click.body).toMatchObject({
      toast: { type: 'success', content: '已加入队列，第 1 位（任务 J0002）' },
      card: { type: 'raw' },
    });
    // A new job of the clicker, made and delivered by the restarted bot, in the card's thread.
    const video = await waitFor(
      () => second.feishu.botMessages().find((m) => m.msgType === 'media' && m.parentId === cardId),
      15_000,
      'the second video',
    );
    await quiesce(second);
    const job = jobsOf(second).find((j) => j.id === 'J0002')!;
    expect(job).toMatchObject({
      state: 'delivered',
      userOpenId: LI,
      origin: { action: 'reroll', fromJob: 'J0001' },
      prompt: '让它动起来',
      images: source!.images,
    });
    expect(video.rootId).toBe(imageMsg); // the thread of the command (itself a reply to the image)
    // The image came back from the restarted fake Feishu: the new task has the same first frame.
    const tasks = [...second.jimeng.tasks.values()];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.images[0]).toEqual(PNG);
    expect(tasks[0]!.requestedSeed).toBe(job.seed);
    expect(job.seed).not.toBe(source!.seed);
    expect(jobsOf(second)).toHaveLength(2);
  });
});
