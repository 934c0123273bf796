import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BotWorld, startBotWorld } from '../helpers/bot-process.js';
import { waitFor } from '../helpers/sandbox.js';

// SIGTERM (what `docker stop` and Kubernetes send): the bot stops accepting, flushes its state and exits 0;
// the job it was generating is picked up by the next process and answered once.
let world: BotWorld;
afterAll(async () => {
  await world?.close();
});

describe('graceful shutdown', () => {
  it('SIGTERM mid-generation: exits 0 with state flushed; the restarted bot delivers the video once', async () => {
    world = await startBotWorld({
      generationMs: 2_000,
      config: { jimeng: { expectedGenerationSeconds: 1 } },
    });
    const bot = await world.spawn();
    const messageId = world.userMessage('/video 关机前的最后一个镜头');
    expect(await world.deliver(bot, messageId)).toBe(200);
    await waitFor(() => world.jimeng.tasks.size === 1, 10_000, 'the task at Jimeng');

    const exited = new Promise<number | null>((r) => bot.proc.once('exit', (code) => r(code)));
    bot.proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(bot.output.join('')).toContain('shutting down');
    // The job and its task id are on disk, so nothing is lost and nothing needs submitting again.
    const state = JSON.parse(readFileSync(join(world.dataDir, 'state.json'), 'utf8'));
    expect(readFileSync(join(world.dataDir, 'state.journal'), 'utf8')).toBe(''); // all folded into the snapshot
    expect(state.jobs).toHaveLength(1);
    expect(state.jobs[0]).toMatchObject({ messageId, state: 'running' });
    expect(state.jobs[0].taskId).toBe([...world.jimeng.tasks.keys()][0]);
    expect(world.feishu.messages.filter((m) => m.msgType === 'media')).toHaveLength(0);

    const next = await world.spawn();
    await waitFor(
      () => world.feishu.messages.find((m) => m.msgType === 'media' && m.parentId === messageId),
      15_000,
      'the video after restart',
    );
    // Feishu re-pushes the same event after the restart: still one job, one task, one video.
    expect(await world.deliver(next, messageId)).toBe(200);
    // A graceful stop waits for whatever that delivery started: after it nothing else can happen.
    const done = new Promise<number | null>((r) => next.proc.once('exit', (code) => r(code)));
    next.proc.kill('SIGTERM');
    expect(await done).toBe(0);
    expect(world.jimeng.tasks.size).toBe(1);
    expect(
      world.feishu.messages.filter((m) => m.msgType === 'media' && m.parentId === messageId),
    ).toHaveLength(1);
  }, 60_000);
});
