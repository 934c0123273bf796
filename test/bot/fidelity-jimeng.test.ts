/**
 * Where Jimeng is less kind than our simulator used to be: failed tasks answered with `data: null`, runs
 * of 5xx on get-result, tasks that fail seconds after submit, generation times far from the prior, and
 * prices that are configuration. Each over real sockets against the simulator taught that behaviour.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { ALICE, BOB, contentOf, jobsOf, quiesce, testSandbox, waitFor } from '../helpers/sandbox.js';

let sb: Sandbox;
afterEach(async () => {
  await sb?.close();
});

const jobFor = (s: Sandbox, messageId: string) => jobsOf(s).find((j) => j.messageId === messageId);
const cardText = (s: Sandbox, messageId: string) =>
  s.feishu
    .botMessages()
    .filter((m) => m.parentId === messageId && m.msgType === 'interactive')
    .map((m) => m.content)
    .join('\n');
const getResults = (s: Sandbox) => s.jimeng.calls.filter((c) => c.action === 'CVSync2AsyncGetResult').length;

describe('Jimeng fidelity', () => {
  it('a task that failed (code 50215, data: null) ends the job at the next look, refunded, told in words', async () => {
    sb = await testSandbox({}, { generationMs: 2_000 });
    sb.jimeng.failNextTaskAfter(300, { code: 50215 });
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 参数会被拒绝' });
    await waitFor(() => jobFor(sb, messageId)?.state === 'failed', 10_000, 'the failure');
    await quiesce(sb);
    expect(jobFor(sb, messageId)).toMatchObject({ charge: 'refunded', error: { code: 'INVALID_INPUT' } });
    expect(getResults(sb)).toBeLessThanOrEqual(3);
    await waitFor(() => cardText(sb, messageId).includes('即梦不接受这个请求'), 5_000, 'the card telling it');
    expect(cardText(sb, messageId)).toContain('额度和费用已退回');
  });

  it('a run of 5xx answers to get-result is capped: the job fails (refunded) instead of polling for an hour', async () => {
    sb = await testSandbox({}, { generationMs: 5_000 });
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 查询一直报错' });
    await waitFor(() => sb.jimeng.tasks.size === 1, 5_000, 'the task');
    sb.jimeng.inject(...Array.from({ length: 60 }, () => '500' as const));
    await waitFor(() => jobFor(sb, messageId)?.state === 'failed', 15_000, 'the failure');
    expect(jobFor(sb, messageId)).toMatchObject({
      charge: 'refunded',
      error: { code: 'POLL_FAILED' },
      pollErrors: 4,
    });
    await waitFor(() => cardText(sb, messageId).includes('即梦服务内部错误'), 5_000, 'the card telling it');
  });

  it('a generation that fails a second after submit is answered within seconds, whatever the 60 s prior', async () => {
    sb = await testSandbox({}, { generationMs: 60_000 });
    sb.jimeng.failNextTaskAfter(1_000);
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 很快就失败' });
    await waitFor(() => sb.jimeng.tasks.size === 1, 5_000, 'the task');
    const submittedAt = Date.now();
    await waitFor(() => jobFor(sb, messageId)?.answeredAt, 10_000, 'the answer');
    expect(jobFor(sb, messageId)!.answeredAt! - submittedAt).toBeLessThan(8_000);
    expect(jobFor(sb, messageId)?.state).toBe('failed');
  });

  it('a fresh bot learns that tasks are faster than its prior: three 1 s videos at concurrency 2 take seconds, not minutes', async () => {
    sb = await testSandbox({ JIMENG_MAX_CONCURRENT: '2' }, { generationMs: 60_000 });
    sb.jimeng.setGenerationMs(1_000);
    const started = Date.now();
    const sent = await Promise.all(
      [ALICE, BOB, 'ou_carol00000000000000000000000003'].map((u, i) =>
        sb.send({ senderOpenId: u, text: `/video 快速的第 ${i} 个` }),
      ),
    );
    for (const s of sent)
      await waitFor(() => jobFor(sb, s.messageId)?.state === 'delivered', 20_000, 'a video');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(getResults(sb) / 3).toBeLessThanOrEqual(6);
    // The card said what Jimeng said: queued there, then generating.
    expect(sb.app.runner.poller.estimate.observations).toBeGreaterThanOrEqual(1);
    expect(sb.app.runner.poller.estimate.ms).toBeLessThan(10_000);
  });

  it('prices are configuration: /models, the card and the budget use the configured ones', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prices-')), 'config.json');
    writeFileSync(file, JSON.stringify({ jimeng: { prices: { jimeng_t2v_v30: 0.28 } } }));
    sb = await testSandbox({ CONFIG_FILE: file });
    const models = await sb.send({ senderOpenId: ALICE, text: '/models' });
    await waitFor(
      () => sb.feishu.botMessages().some((m) => m.parentId === models.messageId),
      5_000,
      '/models',
    );
    const list = String(
      contentOf(sb.feishu.botMessages().find((m) => m.parentId === models.messageId)!).text,
    );
    expect(list).toContain('• 720p　720P　¥1.4 / ¥2.8　jimeng_t2v_v30');
    const { messageId } = await sb.send({ senderOpenId: ALICE, text: '/video 便宜的猫' });
    await waitFor(() => jobFor(sb, messageId)?.state === 'delivered', 10_000, 'the video');
    expect(jobFor(sb, messageId)?.costYuan).toBe(1.4);
    await waitFor(() => cardText(sb, messageId).includes('1.40 元'), 5_000, 'the cost on the card');
  });
});
