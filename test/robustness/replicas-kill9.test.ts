import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { BotProcess } from '../helpers/bot-process.js';
import { finalAnswers, type ReplicaWorld, startReplicaWorld, tasksFor } from '../helpers/replica-world.js';
import { waitFor } from '../helpers/sandbox.js';

// Two replicas on one PostgreSQL, each a real process. Every round a /video goes to one of them, which is
// SIGKILLed at a random moment of the job's life (before the ack, while submitting, generating or
// delivering) and restarted, the replicas taking turns; Feishu re-pushes the event to either. The other
// replica takes over what the dead one held once its 2 s timeout passes. Every message must get exactly
// one answer (the video, or one failure such as "submit uncertain") and no prompt may reach Jimeng twice.
const ROUNDS = Number(process.env.REPLICA_KILL9_ROUNDS ?? 10);
let world: ReplicaWorld | undefined;
afterAll(async () => {
  await world?.close();
});

describe('kill -9 of either replica at random points', () => {
  it(`${ROUNDS} rounds alternating replicas: one answer per message, no task submitted twice`, async () => {
    const w = await startReplicaWorld({
      generationMs: 300,
      config: { jimeng: { expectedGenerationSeconds: 0.5, qps: 50 } },
    });
    world = w;
    const bots: BotProcess[] = await Promise.all([w.spawn(), w.spawn()]);
    const prompts = new Map<string, string>(); // messageId → prompt
    for (let round = 0; round < ROUNDS; round++) {
      const victim = round % 2;
      const prompt = `replicas kill9 round ${round} ${randomBytes(4).toString('hex')}`;
      const messageId = w.userMessage(`/video ${prompt}`, `ou_replica${String(round).padStart(25, '0')}`);
      prompts.set(messageId, prompt);
      const delay = Math.floor(Math.random() * 1500);
      const killer = new Promise<void>((r) => setTimeout(r, delay)).then(() => bots[victim]!.kill());
      await w.deliver(bots[victim]!, messageId);
      await killer;
      bots[victim] = await w.spawn();
      // Feishu re-pushes, to whichever replica the load balancer picks.
      expect(await w.deliver(bots[Math.floor(Math.random() * 2)]!, messageId)).toBe(200);
      await waitFor(() => finalAnswers(w, messageId).count >= 1, 20_000, `an answer in round ${round}`).catch(
        (e: Error) => {
          const tail = bots.map((b) => b.output.slice(-10).join('')).join('\n---\n');
          throw new Error(`${e.message} (replica ${victim} killed ${delay} ms after sending)\n${tail}`);
        },
      );
    }
    // Nothing left to do anywhere, then both stop gracefully: after that nothing else can be sent.
    const unsettled = async () => [
      ...(await w.inbox()),
      ...(await w.jobs()).flatMap((j) =>
        ['delivered', 'failed', 'cancelled'].includes(j.state) &&
        j.answeredAt &&
        j.card.sent === j.card.version
          ? []
          : [`${j.id} ${j.state} card ${j.card.sent}/${j.card.version}`],
      ),
    ];
    await expect.poll(unsettled, { timeout: 20_000, interval: 100 }).toEqual([]);
    expect(await Promise.all(bots.map((b) => b.stop()))).toEqual([0, 0]);
    const report: string[] = [];
    for (const [messageId, prompt] of prompts) {
      const a = finalAnswers(w, messageId);
      const tasks = tasksFor(w, prompt);
      if (a.count !== 1 || tasks > 1)
        report.push(
          `${prompt}: ${a.nonCards.map((m) => m.msgType).join(',')} + ${a.failedCards.length} failed card(s), ${tasks} task(s)`,
        );
    }
    expect(report).toEqual([]);
    expect(await w.jobs()).toHaveLength(ROUNDS);
  }, 150_000);
});
