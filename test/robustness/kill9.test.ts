import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/store/file/file-store.js';
import {
  type BotProcess,
  type BotWorld,
  finalAnswers,
  startBotWorld,
  tasksFor,
} from '../helpers/bot-process.js';
import { waitFor } from '../helpers/sandbox.js';

// The bot as a real process, SIGKILLed at a random moment of each /video job's life (before the ack, while
// submitting, while generating, while delivering), then restarted on the same DATA_DIR while Feishu re-pushes
// the event. Every message must get exactly one answer (the video, or one failure such as "submit uncertain")
// and no prompt may reach Jimeng twice.
const ROUNDS = Number(process.env.KILL9_ROUNDS ?? 20);
let world: BotWorld;
afterAll(async () => {
  await world?.close();
});

describe('kill -9 at random points of the job lifecycle', () => {
  it(`${ROUNDS} rounds: exactly one answer per message, no task submitted twice`, async () => {
    world = await startBotWorld({
      generationMs: 300,
      simulator: { qps: 0 },
      config: { jimeng: { expectedGenerationSeconds: 0.5, qps: 50 }, logLevel: 'info' },
    });
    const prompts = new Map<string, string>(); // messageId → prompt
    const killedAt: number[] = [];
    let bot: BotProcess = await world.spawn();
    for (let round = 0; round < ROUNDS; round++) {
      const prompt = `kill9 round ${round} ${randomBytes(4).toString('hex')}`;
      const messageId = world.userMessage(`/video ${prompt}`);
      prompts.set(messageId, prompt);
      const delay = Math.floor(Math.random() * 1500);
      killedAt.push(delay);
      const killer = new Promise<void>((r) => setTimeout(r, delay)).then(() => bot.kill());
      await world.deliver(bot, messageId);
      await killer;
      bot = await world.spawn();
      // Feishu re-pushes (whether or not the first delivery was acknowledged: delivery is at-least-once).
      const status = await world.deliver(bot, messageId);
      expect(status).toBe(200);
      await waitFor(
        () => finalAnswers(world, messageId).count >= 1,
        15_000,
        `an answer in round ${round}`,
      ).catch((e: Error) => {
        throw new Error(`${e.message} (killed ${delay} ms after sending)\n${bot.output.slice(-20).join('')}`);
      });
    }
    // Stop the last process gracefully (it waits for what it started), then check that no process would
    // have anything left to send: every job finished and answered, every card up to date, the inbox empty.
    const exited = new Promise<number | null>((r) => bot.proc.once('exit', (code) => r(code)));
    bot.proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    const state = await FileStore.inspect({ dir: world.dataDir });
    expect(state.inbox).toEqual([]);
    for (const j of state.jobs) {
      expect(['delivered', 'failed', 'cancelled'], j.id).toContain(j.state);
      expect(j.answeredAt, `${j.id} answered`).toBeDefined();
      expect(j.card.sent, `${j.id} card up to date`).toBe(j.card.version);
    }
    const report: string[] = [];
    for (const [messageId, prompt] of prompts) {
      const a = finalAnswers(world, messageId);
      const tasks = tasksFor(world, prompt);
      if (a.count !== 1 || tasks > 1)
        report.push(
          `${prompt}: ${a.nonCards.map((m) => m.msgType).join(',')} + ${a.failedCards.length} failed card(s), ${tasks} task(s)`,
        );
    }
    expect(report).toEqual([]);
    const submits = world.jimeng.calls.filter(
      (c) => c.action === 'CVSync2AsyncSubmitTask' && c.code === 10000,
    );
    expect(submits.length).toBeLessThanOrEqual(ROUNDS);
  }, 90_000);
});
