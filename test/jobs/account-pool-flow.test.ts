/**
 * The account pool over real sockets: the real app, the fake Feishu and the Jimeng simulator with several
 * accounts, each with its own limits; a task of one account is invisible to the others (not_found).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import type { Sandbox, SandboxAccount } from '../../src/sandbox/start-sandbox.js';
import type { Job } from '../../src/store/records.js';
import { captureLogs, LEVEL } from '../helpers/capture-logger.js';
import { ADMIN, ALICE, BOB, dumpOf, jobsOf, quiesce, testSandbox, waitFor } from '../helpers/sandbox.js';

const CAROL = 'ou_carol00000000000000000000000003';
const GET = 'CVSync2AsyncGetResult';
const SUBMIT = 'CVSync2AsyncSubmitTask';

let sb: Sandbox | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await sb?.close();
  sb = undefined;
  for (const c of cleanups.splice(0)) await c();
});

/** Accounts of one task each, at the bot and at the simulator. */
const one = (extra: SandboxAccount = {}): SandboxAccount => ({
  maxConcurrent: 1,
  ...extra,
  sim: { maxConcurrentTasks: 1, ...extra.sim },
});

const jobOf = (s: Sandbox, messageId: string) => jobsOf(s).find((j) => j.messageId === messageId);
const delivered = (s: Sandbox, ids: string[]) => ids.every((id) => jobOf(s, id)?.state === 'delivered');

/** Every get-result of every task was signed by the account that submitted it. */
function expectPollsByOwner(s: Sandbox): void {
  for (const task of s.jimeng.tasks.values()) {
    const signers = new Set(
      s.jimeng.calls.filter((c) => c.action === GET && c.taskId === task.id).map((c) => c.accessKeyId),
    );
    expect([...signers], `polls of task ${task.id}`).toEqual([task.accessKeyId]);
  }
}

async function videos(s: Sandbox, users: string[], prefix = '镜头'): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, u] of users.entries())
    ids.push((await s.send({ senderOpenId: u, text: `/video ${prefix} ${i}` })).messageId);
  return ids;
}

describe('Jimeng account pool', () => {
  it('two accounts at concurrency 1 run two tasks at once, each polled only by its own account', async () => {
    sb = await testSandbox({}, { accounts: [one(), one()], generationMs: 1_500 });
    const ids = await videos(sb, [ALICE, BOB]);
    const s = sb;
    await waitFor(
      () => [...s.jimeng.tasks.values()].filter((t) => s.jimeng.statusOf(t.id) !== 'done').length === 2,
      5_000,
      'two tasks generating at once',
    );
    const owners = [...s.jimeng.tasks.values()].map((t) => t.accessKeyId);
    expect(new Set(owners)).toEqual(new Set(s.accounts.map((a) => a.accessKeyId)));
    await waitFor(() => delivered(s, ids), 10_000, 'both videos');
    expect(s.jimeng.stats.concurrencyLimited).toBe(0);
    expect(s.jimeng.stats.qpsLimited).toBe(0);
    expectPollsByOwner(s);
    // The job says which account its task belongs to.
    for (const id of ids) {
      const job = jobOf(s, id)!;
      const task = s.jimeng.tasks.get(job.taskId!)!;
      expect(s.accounts.find((a) => a.name === job.account)?.accessKeyId).toBe(task.accessKeyId);
    }
    const metrics = await (await fetch(`${s.app.url}/metrics`)).text();
    expect(metrics).toContain('jimeng_account_up{account="sandbox-1"} 1');
    expect(metrics).toContain('jimeng_account_up{account="sandbox-2"} 1');
    expect(metrics).toMatch(
      /jimeng_account_calls_total\{account="sandbox-1",action="CVSync2AsyncSubmitTask",code="10000"\} 1/,
    );
    expect(metrics).toMatch(
      /jimeng_account_calls_total\{account="sandbox-2",action="CVSync2AsyncSubmitTask",code="10000"\} 1/,
    );
    expect(metrics).toContain('jimeng_account_in_flight{account="sandbox-1"} 0');
  });

  it('an account with a bad key drops out, logged once by name; its jobs finish on the other, no retry spent', async () => {
    const logs = captureLogs('info');
    sb = await testSandbox(
      {},
      { accounts: [one({ broken: 'key' }), one()], generationMs: 300, logger: logs.logger },
    );
    const ids = await videos(sb, [ALICE, BOB, CAROL]);
    const s = sb;
    await waitFor(() => delivered(s, ids), 15_000, 'every video');
    const good = s.accounts[1]!;
    expect([...s.jimeng.tasks.values()].every((t) => t.accessKeyId === good.accessKeyId)).toBe(true);
    expect(s.jimeng.tasks.size).toBe(3);
    for (const id of ids)
      expect(jobOf(s, id)).toMatchObject({ account: 'sandbox-2', busyRetries: 0, charge: 'consumed' });
    expect(s.app.pool.status()[0]).toMatchObject({ name: 'sandbox-1', up: false, refused: { code: 'AUTH' } });
    const lines = logs.lines.filter((l) => l.level === LEVEL.error && String(l.msg).includes('sandbox-1'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toContain(
      'Jimeng account sandbox-1 refused the credentials (AUTH InvalidAccessKey)',
    );
    for (const a of s.accounts) expect(logs.raw.join('\n')).not.toContain(a.secretAccessKey);
    const metrics = await (await fetch(`${s.app.url}/metrics`)).text();
    expect(metrics).toContain('jimeng_account_up{account="sandbox-1"} 0');
    expect(metrics).toContain('jimeng_account_up{account="sandbox-2"} 1');
    expect(metrics).toMatch(
      /jimeng_account_calls_total\{account="sandbox-1",action="CVSync2AsyncSubmitTask",code="InvalidAccessKey"\} 1/,
    );

    // Admins see it in /usage.
    const usage = await s.send({ senderOpenId: ADMIN, text: '/usage' });
    await waitFor(() => s.feishu.botMessages().some((m) => m.parentId === usage.messageId), 5_000, '/usage');
    const card = s.feishu.botMessages().find((m) => m.parentId === usage.messageId)!.content;
    expect(card).toContain('即梦账号');
    expect(card).toMatch(/sandbox-1：🔴 停用：密钥被拒（AUTH），[^；]+ 再试；进行中 0 \/ 1/);
    expect(card).toContain('sandbox-2：🟢 正常；进行中 0 / 1');
  });

  it('a model no account has enabled (50400 from each): its jobs fail as an operator problem, refunded; other models run', async () => {
    const HD = 'jimeng_t2v_v30_1080p';
    sb = await testSandbox(
      {},
      {
        accounts: [one({ sim: { deniedModels: [HD] } }), one({ sim: { deniedModels: [HD] } })],
        generationMs: 300,
      },
    );
    const s = sb;
    // sandbox-1 refuses 1080p: its job is requeued and sandbox-2 refuses it too, so it fails; 720p still works.
    const hd = await s.send({ senderOpenId: ALICE, text: '/video --model 1080p 高清的猫' });
    await waitFor(() => jobOf(s, hd.messageId)?.state === 'failed', 10_000, 'the 1080p job to fail');
    expect(jobOf(s, hd.messageId)).toMatchObject({
      charge: 'refunded',
      error: { code: 'ACCESS_DENIED' },
      busyRetries: 0,
    });
    const refusals = s.jimeng.calls
      .filter((c) => c.action === SUBMIT && c.code === 50400)
      .map((c) => c.accessKeyId);
    expect(refusals.sort()).toEqual(s.accounts.map((a) => a.accessKeyId).sort());
    // A second 1080p job fails at once, without a call: no account may run the model now.
    const calls = s.jimeng.calls.length;
    const again = await s.send({ senderOpenId: BOB, text: '/video --model 1080p 又一只高清的猫' });
    await waitFor(() => jobOf(s, again.messageId)?.state === 'failed', 5_000, 'the second 1080p job to fail');
    expect(jobOf(s, again.messageId)?.error?.code).toBe('ACCESS_DENIED');
    const sd = await s.send({ senderOpenId: CAROL, text: '/video 普通的猫' });
    await waitFor(() => jobOf(s, sd.messageId)?.state === 'delivered', 10_000, 'the 720p video');
    expect(s.jimeng.calls.slice(calls).filter((c) => c.code === 50400)).toHaveLength(0);
    expect(s.app.pool.status().map((a) => [a.up, Object.keys(a.deniedModels)])).toEqual([
      [true, [HD]],
      [true, [HD]],
    ]);
    await waitFor(
      () =>
        s.feishu
          .botMessages()
          .some((m) => m.parentId === hd.messageId && m.content.includes('没有开通这个模型')),
      5_000,
      'the card saying so',
    );
  });

  it('a refusal for one model on one account: the job finishes on the account that has it', async () => {
    const HD = 'jimeng_t2v_v30_1080p';
    sb = await testSandbox(
      {},
      { accounts: [one({ sim: { deniedModels: [HD] } }), one()], generationMs: 300 },
    );
    const s = sb;
    const hd = await s.send({ senderOpenId: ALICE, text: '/video --model 1080p 高清的猫' });
    await waitFor(() => jobOf(s, hd.messageId)?.state === 'delivered', 10_000, 'the 1080p video');
    expect(jobOf(s, hd.messageId)).toMatchObject({ account: 'sandbox-2', busyRetries: 0 });
    // sandbox-1 still takes 720p.
    const sd = await videos(s, [BOB, CAROL]);
    await waitFor(() => delivered(s, sd), 10_000, 'the 720p videos');
    expect(new Set(sd.map((id) => jobOf(s, id)?.account))).toEqual(new Set(['sandbox-1', 'sandbox-2']));
  });

  it('a model no account is configured for fails at once, without a call; the others go where they may', async () => {
    sb = await testSandbox(
      {},
      { accounts: [one({ models: ['720p'] }), one({ models: ['720p', 'pro'] })], generationMs: 300 },
    );
    const s = sb;
    const hd = await s.send({ senderOpenId: ALICE, text: '/video --model 1080p 高清的猫' });
    const pro = await s.send({ senderOpenId: BOB, text: '/video --model pro 专业的猫' });
    await waitFor(() => jobOf(s, hd.messageId)?.state === 'failed', 5_000, 'the 1080p job to fail');
    expect(jobOf(s, hd.messageId)).toMatchObject({ charge: 'refunded', error: { code: 'ACCESS_DENIED' } });
    await waitFor(() => jobOf(s, pro.messageId)?.state === 'delivered', 10_000, 'the pro video');
    expect(jobOf(s, pro.messageId)?.account).toBe('sandbox-2');
    expect(s.jimeng.calls.filter((c) => c.action === SUBMIT)).toHaveLength(1);
  });

  it('50430 from one account lowers its slots for a while; the job goes back to the queue and is made once', async () => {
    sb = await testSandbox({}, { accounts: [{ maxConcurrent: 2 }, { maxConcurrent: 2 }], generationMs: 300 });
    const s = sb;
    s.jimeng.inject('concurrency');
    const [id] = await videos(s, [ALICE]);
    await waitFor(() => jobOf(s, id!)?.state === 'delivered', 10_000, 'the video');
    expect(s.jimeng.stats.concurrencyLimited).toBe(1);
    expect(s.jimeng.tasks.size).toBe(1);
    expect(jobOf(s, id!)?.busyRetries).toBe(1);
    const first = s.app.pool.status()[0]!;
    expect(first).toMatchObject({ name: 'sandbox-1', up: true, slots: 1, maxConcurrent: 2 });
    expect(first.loweredUntil).toBeGreaterThan(Date.now());
  });

  it('fairness: one user with ten queued jobs does not keep another user waiting behind them', async () => {
    sb = await testSandbox({ QUOTA_MAX_IN_FLIGHT: '20' }, { accounts: [one(), one()], generationMs: 3_000 });
    const s = sb;
    const alice = await videos(
      s,
      Array.from({ length: 10 }, () => ALICE),
      'Alice',
    );
    await waitFor(() => jobsOf(s).length === 10 && s.jimeng.tasks.size === 2, 5_000, "Alice's ten jobs");
    const [bob] = await videos(s, [BOB], 'Bob');
    await waitFor(() => jobOf(s, bob!)?.state === 'queued', 5_000, "Bob's job queued");
    s.jimeng.setGenerationMs(400); // from now on slots free up quickly
    await waitFor(() => delivered(s, [bob!]), 10_000, "Bob's video");
    const order = [...s.jimeng.tasks.values()].sort((a, b) => a.createdAt - b.createdAt).map((t) => t.prompt);
    // Two of Alice's were at Jimeng when Bob asked: his goes with the first slot that frees (the third or,
    // when both free at once and the other account answers first, the fourth task made), not the eleventh.
    expect(order.indexOf('Bob 0')).toBeGreaterThanOrEqual(2);
    expect(order.indexOf('Bob 0')).toBeLessThanOrEqual(3);
    const third = jobsOf(s).filter((j) => j.userOpenId === ALICE && j.submittedAt !== undefined)[2]!;
    expect(jobOf(s, bob!)!.submittedAt).toBeLessThanOrEqual(third.submittedAt! + 200);
    expect(alice.every((id) => jobOf(s, id)?.state !== 'failed')).toBe(true);
    await waitFor(() => delivered(s, alice), 20_000, "Alice's videos");
    expectPollsByOwner(s);
  });

  it('a restart mid-generation polls each task with the account that submitted it (accounts matched by name)', async () => {
    sb = await testSandbox({}, { accounts: [one(), one()], generationMs: 3_000 });
    const s = sb;
    sb = undefined; // closed by hand below
    const ids = await videos(s, [ALICE, BOB]);
    await waitFor(() => ids.every((id) => jobOf(s, id)?.taskId), 5_000, 'both tasks at Jimeng');
    const before = ids.map((id) => jobOf(s, id)!) as Job[];
    expect(new Set(before.map((j) => j.account))).toEqual(new Set(['sandbox-1', 'sandbox-2']));
    await s.app.close();
    expect(before.every((j) => s.jimeng.statusOf(j.taskId!) !== 'done')).toBe(true);
    // The same accounts, listed the other way round: names, not places, tie a task to its keys.
    const config = {
      ...s.config,
      jimeng: { ...s.config.jimeng, accounts: [...s.config.jimeng.accounts].reverse() },
    };
    const app: App = await createApp({ config, minPollMs: 50, jimengRetryBaseMs: 10, deliveryRetryMs: 50 });
    cleanups.push(async () => {
      await app.close();
      await Promise.all([s.feishu.close(), s.jimeng.close()]);
    });
    await app.listen(0, '127.0.0.1');
    await waitFor(
      () => ids.every((id) => dumpOf({ app }).jobs.find((j) => j.messageId === id)?.state === 'delivered'),
      15_000,
      'both videos after the restart',
    );
    expect(s.jimeng.tasks.size).toBe(2);
    expectPollsByOwner(s);
    await quiesce({ app });
  });
});
