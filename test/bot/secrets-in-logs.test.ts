import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { buildMessageEvent, postEvent } from '../../src/sandbox/lark-event-builder.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { ALICE, jobsOf, quiesce, testSandbox, waitFor } from '../helpers/sandbox.js';

let sb: Sandbox;
afterEach(async () => {
  await sb?.close();
});

describe('logs', () => {
  it('carry one line per job state change and never a secret, even on failures', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (s: string) => lines.push(s) } });
    sb = await testSandbox({}, { logger });
    const ok = await sb.send({ senderOpenId: ALICE, text: '/video 日志里的猫' });
    await waitFor(() =>
      sb.feishu.botMessages().some((m) => m.msgType === 'media' && m.rootId === ok.messageId),
    );
    await sb.send({ senderOpenId: ALICE, text: '/video RISK 违规' });
    await waitFor(() => jobsOf(sb).some((j) => j.state === 'failed'));
    const event = buildMessageEvent({
      appId: sb.config.lark.appId,
      token: sb.config.lark.verificationToken,
      chatId: 'oc_x',
      chatType: 'group',
      senderOpenId: ALICE,
      msgType: 'text',
      content: { text: '/video x' },
    });
    expect((await postEvent(sb.webhookUrl, event, { encryptKey: 'wrong' })).status).toBe(401);
    sb.feishu.revokeTokens();
    const help = await sb.send({ senderOpenId: ALICE, text: '/help' });
    await waitFor(
      () => sb.feishu.botMessages().some((m) => m.parentId === help.messageId),
      10_000,
      'the help reply',
    );
    await quiesce(sb);

    const all = lines.join('');
    for (const secret of [
      sb.config.lark.appSecret,
      sb.config.lark.encryptKey,
      sb.config.jimeng.secretAccessKey,
    ])
      expect(all).not.toContain(secret);
    const states = lines
      .map((l) => JSON.parse(l) as { jobId?: string; messageId?: string; state?: string })
      .filter((l) => l.jobId && l.state);
    expect(states.filter((l) => l.jobId === 'J0001').map((l) => l.state)).toEqual([
      'queued',
      'submitting',
      'running',
      'generated',
      'delivered',
    ]);
    expect(states.every((l) => l.messageId?.startsWith('om_'))).toBe(true);
    expect(all).toMatch(/X-Lark-Signature|signature/i);
  });
});
