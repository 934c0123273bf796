import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { FakeFeishu } from '../../src/sandbox/fake-feishu.js';
import { startFakeFeishu } from '../../src/sandbox/fake-feishu.js';
import { type JimengSimulator, startJimengSimulator } from '../../src/sandbox/jimeng-simulator.js';
import { buildMessageEvent, postEvent } from '../../src/sandbox/lark-event-builder.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { contentOf, jobsOf, quiesce, testSandbox, waitFor } from '../helpers/sandbox.js';

// Fault injection over the real app: Feishu 5xx / timeouts / lost answers on reply, upload and card patch;
// Jimeng 50429 / 50430 / 500 / timeouts. Each /video must end with exactly one answer in its thread and one
// task at Jimeng.
const USER = 'ou_fault0000000000000000000000000001';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function sandbox(generationMs = 300): Promise<Sandbox> {
  const sb = await testSandbox({}, { generationMs });
  closers.push(() => sb.close());
  return sb;
}

/** Bot messages in the thread of `messageId`, cards aside. */
function answers(feishu: FakeFeishu, messageId: string) {
  return feishu.messages.filter(
    (m) =>
      m.senderType === 'app' &&
      (m.parentId === messageId || m.rootId === messageId) &&
      m.msgType !== 'interactive',
  );
}
const media = (f: FakeFeishu, id: string) => answers(f, id).filter((m) => m.msgType === 'media');
const cards = (f: FakeFeishu, id: string) =>
  f.messages.filter((m) => m.senderType === 'app' && m.parentId === id && m.msgType === 'interactive');
const failedCard = (f: FakeFeishu, id: string) =>
  cards(f, id).some((c) => c.updated && c.content.includes('"template":"red"'));
const tasksFor = (sim: JimengSimulator, prompt: string) =>
  [...sim.tasks.values()].filter((t) => t.prompt === prompt).length;

/** Waits for the job's final answer, then a little longer so a duplicate would have time to show up. */
async function settle(sb: { app: App; feishu: FakeFeishu }, messageId: string, timeoutMs = 15_000) {
  await waitFor(
    () => {
      const job = jobsOf(sb).find((j) => j.messageId === messageId);
      return job && !['queued', 'submitting', 'running'].includes(job.state) && job.answeredAt
        ? job
        : undefined;
    },
    timeoutMs,
    'the job to be answered',
  );
  await quiesce(sb);
  return jobsOf(sb).find((j) => j.messageId === messageId)!;
}

describe('Feishu faults', () => {
  it('a reply whose answer is lost (5xx after the message was created) is retried with the same uuid: one reply', async () => {
    const sb = await sandbox();
    sb.feishu.faults.next.push({ route: 'reply', kind: '500', after: true });
    const { messageId } = await sb.send({ senderOpenId: USER, text: '/help' });
    await sb.app.bot.idle();
    await waitFor(() => answers(sb.feishu, messageId).length > 0, 10_000, 'the help reply');
    await quiesce(sb);
    expect(answers(sb.feishu, messageId)).toHaveLength(1);
    expect(sb.feishu.calls.filter((c) => c.route === 'reply').length).toBeGreaterThanOrEqual(2);
  });

  it('reply 5xx twice, then OK: retried, one reply', async () => {
    const sb = await sandbox();
    sb.feishu.faults.next.push({ route: 'reply', kind: '500' }, { route: 'reply', kind: 'rate_limit' });
    const { messageId } = await sb.send({ senderOpenId: USER, text: '/models' });
    await waitFor(() => answers(sb.feishu, messageId).length > 0, 10_000, 'the reply');
    await quiesce(sb);
    expect(answers(sb.feishu, messageId)).toHaveLength(1);
  });

  it('upload 5xx once: retried, the video arrives once as media', async () => {
    const sb = await sandbox();
    sb.feishu.faults.next.push({ route: 'upload', kind: '500' });
    const prompt = 'upload-once 一只猫';
    const { messageId } = await sb.send({ senderOpenId: USER, text: `/video ${prompt}` });
    const job = await settle(sb, messageId);
    expect(job.state).toBe('delivered');
    expect(media(sb.feishu, messageId)).toHaveLength(1);
    expect(answers(sb.feishu, messageId)).toHaveLength(1);
    expect(sb.feishu.uploads).toHaveLength(1);
    expect(tasksFor(sb.jimeng, prompt)).toBe(1);
  });

  it('upload keeps failing: after bounded retries falls back to the link, once, and no media', async () => {
    const sb = await sandbox();
    for (let i = 0; i < 100; i++) sb.feishu.faults.next.push({ route: 'upload', kind: '500' });
    const prompt = 'upload-down 一只狗';
    const { messageId } = await sb.send({ senderOpenId: USER, text: `/video ${prompt}` });
    const job = await settle(sb, messageId);
    expect(job.state).toBe('delivered');
    const a = answers(sb.feishu, messageId);
    expect(a).toHaveLength(1);
    expect(a[0]!.msgType).toBe('text');
    expect(String(contentOf(a[0]!).text)).toContain('/videos/');
    expect(media(sb.feishu, messageId)).toHaveLength(0);
    expect(tasksFor(sb.jimeng, prompt)).toBe(1);
  });

  it('card patches failing do not block or duplicate the video', async () => {
    const sb = await sandbox();
    for (let i = 0; i < 12; i++) sb.feishu.faults.next.push({ route: 'patch', kind: '500' });
    const prompt = 'patch-down 海浪';
    const { messageId } = await sb.send({ senderOpenId: USER, text: `/video ${prompt}` });
    const job = await settle(sb, messageId);
    expect(job.state).toBe('delivered');
    expect(media(sb.feishu, messageId)).toHaveLength(1);
    expect(answers(sb.feishu, messageId)).toHaveLength(1);
    expect(cards(sb.feishu, messageId)).toHaveLength(1);
  });

  it('a failure whose card cannot be patched is answered once as text', async () => {
    const sb = await sandbox();
    for (let i = 0; i < 12; i++) sb.feishu.faults.next.push({ route: 'patch', kind: '500' });
    const { messageId } = await sb.send({ senderOpenId: USER, text: '/video FAIL 生成会失败' });
    const job = await settle(sb, messageId);
    expect(job.state).toBe('failed');
    const a = answers(sb.feishu, messageId);
    expect(a).toHaveLength(1);
    expect(String(contentOf(a[0]!).text)).toMatch(/^❌/);
  });

  it('the media reply times out after Feishu created it: still exactly one answer', async () => {
    const sb = await sandbox(2_000);
    const prompt = 'media-timeout 日落';
    const { messageId } = await sb.send({ senderOpenId: USER, text: `/video ${prompt}` });
    await waitFor(() => cards(sb.feishu, messageId).length === 1, 5_000, 'the card');
    // The next reply is the video: Feishu stores it, the answer never comes back (client timeout, 15 s).
    sb.feishu.faults.next.push({ route: 'reply', kind: 'timeout', after: true });
    // The runner retries the same-uuid media reply on its next sweep (≤ 30 s) instead of also sending the link.
    await settle(sb, messageId, 55_000);
    expect(answers(sb.feishu, messageId).map((m) => m.msgType)).toEqual(['media']);
    expect(tasksFor(sb.jimeng, prompt)).toBe(1);
  }, 75_000);
});

describe('Jimeng faults', () => {
  it('500 on submit (the task may exist): never submitted again, the user told once', async () => {
    const sb = await sandbox();
    sb.jimeng.inject('500');
    const prompt = 'submit-500 沙漠';
    const { messageId } = await sb.send({ senderOpenId: USER, text: `/video ${prompt}` });
    const job = await settle(sb, messageId);
    expect(sb.jimeng.stats.submits).toBeLessThanOrEqual(1);
    expect(tasksFor(sb.jimeng, prompt)).toBeLessThanOrEqual(1);
    const told = answers(sb.feishu, messageId).length + (failedCard(sb.feishu, messageId) ? 1 : 0);
    expect(told).toBe(1);
    if (job.state === 'failed') expect(job.error?.code).toBe('SUBMIT_UNCERTAIN');
  });

  it('50429 and 50430 on submit are retried: one task, one video', async () => {
    const sb = await sandbox();
    sb.jimeng.inject('qps', 'concurrency', 'qps');
    const prompt = 'submit-faults 森林';
    const { messageId } = await sb.send({ senderOpenId: USER, text: `/video ${prompt}` });
    const job = await settle(sb, messageId);
    expect(job.state).toBe('delivered');
    expect(tasksFor(sb.jimeng, prompt)).toBe(1);
    expect(media(sb.feishu, messageId)).toHaveLength(1);
    expect(sb.jimeng.stats.qpsLimited + sb.jimeng.stats.concurrencyLimited).toBeGreaterThanOrEqual(2);
  });

  it('500 and 50429 on get-result are retried: one video', async () => {
    const sb = await sandbox();
    const prompt = 'poll-faults 城市夜景';
    const { messageId } = await sb.send({ senderOpenId: USER, text: `/video ${prompt}` });
    await waitFor(() => jobsOf(sb).find((j) => j.messageId === messageId)?.taskId, 5_000, 'submit');
    sb.jimeng.inject('500', 'qps', '500', '500');
    const job = await settle(sb, messageId, 30_000);
    expect(job.state).toBe('delivered');
    expect(media(sb.feishu, messageId)).toHaveLength(1);
    expect(tasksFor(sb.jimeng, prompt)).toBe(1);
  }, 40_000);

  describe('timeouts (the app with a fetch that gives up on Jimeng after 800 ms)', () => {
    async function world() {
      const appId = 'cli_timeouts000001';
      const appSecret = 'secret-timeouts';
      const feishu = await startFakeFeishu({ appId, appSecret });
      const sim = await startJimengSimulator({
        accessKeyId: 'AKTIMEOUT',
        secretAccessKey: 'sk-timeout',
        generationMs: 300,
        faults: { slowMs: 3_000 },
      });
      const config = loadConfig({
        DATA_DIR: mkdtempSync(join(tmpdir(), 'faults-')),
        LARK_APP_ID: appId,
        LARK_APP_SECRET: appSecret,
        LARK_ENCRYPT_KEY: 'enc-key-timeouts',
        LARK_VERIFICATION_TOKEN: 'token-timeouts',
        LARK_DOMAIN: feishu.url,
        VOLC_ACCESSKEY: 'AKTIMEOUT',
        VOLC_SECRETKEY: 'sk-timeout',
        JIMENG_ENDPOINT: sim.url,
        JIMENG_QPS: '50',
      });
      config.jimeng.expectedGenerationSeconds = 0.3;
      const timeoutFetch: typeof fetch = (input, init) => {
        if (!String(input).includes('Action=')) return fetch(input, init);
        return new Promise((resolve, reject) => {
          const t = setTimeout(
            () => reject(new TypeError('fetch failed', { cause: { code: 'UND_ERR_HEADERS_TIMEOUT' } })),
            800,
          );
          fetch(input, init).then(
            (r) => {
              clearTimeout(t);
              resolve(r);
            },
            (e) => {
              clearTimeout(t);
              reject(e);
            },
          );
        });
      };
      const app = await createApp({ config, fetch: timeoutFetch, minPollMs: 50, jimengRetryBaseMs: 10 });
      const url = await app.listen(0, '127.0.0.1');
      closers.push(async () => {
        await app.close();
        await Promise.all([feishu.close(), sim.close()]);
      });
      const send = async (text: string) => {
        const messageId = feishu.addUserMessage({
          chatId: 'oc_t',
          chatType: 'group',
          senderOpenId: USER,
          msgType: 'text',
          content: { text },
        });
        const evt = buildMessageEvent({
          appId,
          token: 'token-timeouts',
          messageId,
          chatId: 'oc_t',
          chatType: 'group',
          senderOpenId: USER,
          msgType: 'text',
          content: { text },
        });
        const r = await postEvent(`${url}/webhook/event`, evt, { encryptKey: 'enc-key-timeouts' });
        expect(r.status).toBe(200);
        return messageId;
      };
      return { app, feishu, sim, send };
    }

    it('get-result that never answers is retried until the video comes', async () => {
      const w = await world();
      const prompt = 'poll-hang 雪山';
      const messageId = await w.send(`/video ${prompt}`);
      await waitFor(() => jobsOf(w).find((j) => j.messageId === messageId)?.taskId, 5_000, 'submit');
      w.sim.inject('hang', 'hang');
      const job = await settle(w, messageId, 30_000);
      expect(job.state).toBe('delivered');
      expect(media(w.feishu, messageId)).toHaveLength(1);
      expect(tasksFor(w.sim, prompt)).toBe(1);
    }, 40_000);

    it('a submit that times out after Jimeng created the task is never sent again; the user is told once', async () => {
      const w = await world();
      w.sim.inject('slow');
      const prompt = 'submit-slow 草原';
      const messageId = await w.send(`/video ${prompt}`);
      const job = await settle(w, messageId, 20_000);
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('SUBMIT_UNCERTAIN');
      // The slow answer arrives meanwhile (the simulator records a call when it answers it).
      await waitFor(
        () => w.sim.calls.some((c) => c.action === 'CVSync2AsyncSubmitTask'),
        10_000,
        'the slow submit answer',
      );
      await quiesce(w);
      expect(tasksFor(w.sim, prompt)).toBe(1);
      expect(w.sim.stats.submits).toBe(1);
      const told = answers(w.feishu, messageId).length + (failedCard(w.feishu, messageId) ? 1 : 0);
      expect(told).toBe(1);
    }, 30_000);
  });
});

describe('re-push storm', () => {
  it('1,000 deliveries of one message: all acknowledged, one job, one card, one video, one task', async () => {
    const sb = await sandbox();
    const prompt = 'storm 千军万马';
    const { messageId } = await sb.send({ senderOpenId: USER, text: `/video ${prompt}` });
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next++ < 1000) {
          const r = await sb.send({ senderOpenId: USER, text: `/video ${prompt}`, messageId });
          statuses.push(r.status);
        }
      }),
    );
    expect(statuses).toHaveLength(1000);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const job = await settle(sb, messageId);
    expect(job.state).toBe('delivered');
    expect(jobsOf(sb).filter((j) => j.messageId === messageId)).toHaveLength(1);
    expect(cards(sb.feishu, messageId)).toHaveLength(1);
    expect(media(sb.feishu, messageId)).toHaveLength(1);
    expect(answers(sb.feishu, messageId)).toHaveLength(1);
    expect(tasksFor(sb.jimeng, prompt)).toBe(1);
  }, 60_000);
});
