/**
 * Two bot replicas, each its own OS process on its own port, sharing one PostgreSQL, with the fake Feishu
 * and the Jimeng simulator they both call. What a deployment of several replicas must guarantee: a
 * delivery that reaches both makes one job and one answer; a replica killed mid-generation is replaced
 * by the other, which delivers once; both together keep within one account's QPS and concurrency.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BotProcess } from '../helpers/bot-process.js';
import { finalAnswers, type ReplicaWorld, startReplicaWorld, tasksFor } from '../helpers/replica-world.js';
import { waitFor } from '../helpers/sandbox.js';

let world: ReplicaWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function start(opts: Parameters<typeof startReplicaWorld>[0]): Promise<ReplicaWorld> {
  world = await startReplicaWorld(opts);
  return world;
}

const FAST = { jimeng: { expectedGenerationSeconds: 0.5, qps: 50 } };
const isMedia = (w: ReplicaWorld, messageId: string) =>
  w.feishu.messages.filter((m) => m.msgType === 'media' && m.parentId === messageId);

/** Stops every replica gracefully (each waits for what it started): after that nothing else happens. */
async function stopAll(bots: BotProcess[]): Promise<void> {
  expect(await Promise.all(bots.map((b) => b.stop()))).toEqual(bots.map(() => 0));
}

/** Waits until the database says nothing is left to do: inbox empty, every job final, answered, its card sent. */
async function settled(w: ReplicaWorld): Promise<void> {
  const unsettled = async () => [
    ...(await w.inbox()).map((id) => `${id} in the inbox`),
    ...(await w.jobs()).flatMap((j) =>
      ['delivered', 'failed', 'cancelled'].includes(j.state) && j.answeredAt && j.card.sent === j.card.version
        ? []
        : [`${j.id}: ${j.state}, answered ${j.answeredAt}, card ${j.card.sent}/${j.card.version}`],
    ),
  ];
  await expect.poll(unsettled, { timeout: 15_000, interval: 50 }).toEqual([]);
}

describe('two replicas on one database', () => {
  it('the same delivery sent to both at once: one job, one submit, one answer', async () => {
    const w = await start({ generationMs: 300, config: FAST });
    const bots = await Promise.all([w.spawn(), w.spawn()]);
    const prompts = ['双副本 同一事件 一', '双副本 同一事件 二', '双副本 同一事件 三'];
    // Three users (a user has at most two jobs in flight by default).
    const ids = prompts.map((p, i) =>
      w.userMessage(`/video ${p}`, `ou_twice000000000000000000000000000${i}`),
    );
    for (const id of ids) {
      // Feishu's retry can reach the other replica while the first delivery is still being handled.
      const statuses = await Promise.all(bots.map((b) => w.deliver(b, id)));
      expect(statuses).toEqual([200, 200]);
    }
    await settled(w);
    await stopAll(bots);
    for (const [i, id] of ids.entries()) {
      expect(isMedia(w, id), prompts[i]).toHaveLength(1);
      expect(finalAnswers(w, id).count, prompts[i]).toBe(1);
      expect(tasksFor(w, prompts[i]!), prompts[i]).toBe(1);
    }
    expect(await w.jobs()).toHaveLength(3);
  }, 45_000);

  it('kill -9 of the replica that submitted, mid-generation: the other delivers, once', async () => {
    const w = await start({
      generationMs: 4_000,
      config: { jimeng: { expectedGenerationSeconds: 4, qps: 50 } },
    });
    const bots = await Promise.all([w.spawn(), w.spawn()]);
    const prompt = '提交它的副本在生成中途被杀';
    const id = w.userMessage(`/video ${prompt}`);
    expect(await w.deliver(bots[0]!, id)).toBe(200);
    await waitFor(() => tasksFor(w, prompt) === 1, 10_000, 'the task at Jimeng');
    const submitted = (b: BotProcess) => b.output.join('').includes('→ running');
    await waitFor(() => bots.some(submitted), 5_000, 'the submitting replica says so');
    const victim = bots.find(submitted)!;
    const survivor = bots.find((b) => b !== victim)!;
    await victim.kill();
    const [task] = [...w.jimeng.tasks.values()];
    expect(w.jimeng.statusOf(task!.id)).not.toBe('done'); // killed mid-generation
    await waitFor(() => isMedia(w, id).length === 1, 20_000, 'the video from the survivor');
    // Feishu re-pushes the event (the killed replica may not have acked everything): still one job.
    expect(await w.deliver(survivor, id)).toBe(200);
    await settled(w);
    await stopAll([survivor]);
    expect(finalAnswers(w, id).count).toBe(1);
    expect(tasksFor(w, prompt)).toBe(1);
    expect(await w.jobs()).toHaveLength(1);
  }, 45_000);

  it('the simulator at 1 QPS and 2 tasks shared by both: never a 50429 or a 50430', async () => {
    const w = await start({
      generationMs: 800,
      simulator: { qps: 1, maxConcurrentTasks: 2 },
      config: { jimeng: { expectedGenerationSeconds: 1, qps: 1, maxConcurrent: 2 } },
    });
    const bots = await Promise.all([w.spawn(), w.spawn()]);
    const users = ['ou_qps00000000000000000000000000001', 'ou_qps00000000000000000000000000002'];
    const ids = Array.from({ length: 4 }, (_, i) => w.userMessage(`/video 限流 ${i}`, users[i % 2]));
    await Promise.all(ids.map((id, i) => w.deliver(bots[i % 2]!, id)));
    for (const id of ids) await waitFor(() => isMedia(w, id).length === 1, 40_000, `the video for ${id}`);
    await settled(w);
    await stopAll(bots);
    expect(w.jimeng.stats.qpsLimited).toBe(0);
    expect(w.jimeng.stats.concurrencyLimited).toBe(0);
    expect(w.jimeng.stats.submits).toBe(4);
  }, 60_000);

  it('an unreachable DATABASE_URL stops the start with one line naming it, without the password', async () => {
    const env = {
      ...process.env,
      LARK_APP_ID: 'cli_replicastart1',
      LARK_APP_SECRET: 'app-secret',
      LARK_VERIFICATION_TOKEN: 'token',
      VOLC_ACCESSKEY: 'AKSTART',
      VOLC_SECRETKEY: 'sk-start',
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'replica-start-')),
      DATABASE_URL: 'postgres://bot:s3cret-pw@127.0.0.1:1/jimeng',
    };
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: 'pipe' });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
    expect(code).not.toBe(0);
    expect(out.trim().split('\n')).toEqual([
      'fatal: DATABASE_URL: cannot reach PostgreSQL at bot@127.0.0.1:1/jimeng (ECONNREFUSED): is it running, and is the URL right?',
    ]);
    expect(out).not.toContain('s3cret-pw');
  });
});
