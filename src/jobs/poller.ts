import type { Clock } from '../clock.js';
import { isJimengError } from '../jimeng/errors.js';
import type { TaskResult } from '../jimeng/parse-result.js';
import type { Logger } from '../log.js';
import type { StorePort } from '../store/port.js';
import type { Job } from '../store/records.js';
import type { Failures } from './failures.js';
import type { JimengAccess } from './jimeng-access.js';
import { jobError } from './job-error.js';
import { logState } from './job-log.js';
import { KeyedQueue } from './keyed-queue.js';
import {
  type Estimate,
  firstLookDelay,
  learn,
  movedEnough,
  nextLookDelay,
  observedDuration,
  priorEstimate,
  rescheduled,
  SECOND_LOOK_MS,
} from './poll-schedule.js';
import { Pump } from './pump.js';

export interface PollerOptions {
  store: StorePort;
  jimeng: JimengAccess;
  failures: Failures;
  clock: Clock;
  log: Logger;
  /** Starting guess of how long a generation takes; learnt from finished tasks. */
  expectedGenerationMs: number;
  minPollMs: number;
  /** Give up on a task after this long. */
  taskTimeoutMs: number;
  /** Retryable get-result failures in a row (5xx, network) before the job fails. Default 5. */
  maxPollErrors?: number;
  /** The early look after submit. Default 3 s. */
  earlyLookMs?: number;
  /** Polls at once (each is one call from the account's shared QPS). Default 2. */
  concurrency?: number;
  /** A video exists: deliver it. */
  onDone(job: Job): void;
  onCardChange(): void;
}

const LEASE_MS = 30_000;

/**
 * One poller for every running task (never a timer per task): it wakes when the next task is due and
 * asks about as many as it can send at once, the task submitted longest ago first (the most likely to be
 * done). Each answer is one transition: the next look, the video, or the end.
 */
export class Poller {
  private readonly queue: KeyedQueue;
  private readonly pump: Pump;
  private stopped = false;
  private estimateNow: Estimate;
  /** When each running task last answered "not yet" (for the estimate). */
  private readonly lastNotDone = new Map<string, number>();
  /** While nothing has been observed: the task that looks at steps of half its age. */
  private scoutId: string | undefined;
  /** When a task of each account last got the quick early look (each account has its own QPS). */
  private readonly lastQuickLook = new Map<string | undefined, number>();

  constructor(private readonly o: PollerOptions) {
    this.estimateNow = priorEstimate(o.expectedGenerationMs);
    this.queue = new KeyedQueue({
      // Two looks at once per account: a look waiting for one account's slot holds no other account's.
      concurrency: o.concurrency ?? Math.max(2, 2 * o.jimeng.accounts().length),
      onError: (err, key) => o.log.error({ err, jobId: key }, 'poll crashed'),
    });
    this.pump = new Pump(this.o.clock, this.o.log, 'polls', () => this.run());
  }

  /**
   * When a new task's first (early) look is due. In a burst only one task every 10 s gets the quick look
   * (3 s): each look takes a slot of the account's shared QPS, and 20 tasks looked at twice in their first
   * seconds would put every look far behind; the others' first look is the one at 10 s. Per account:
   * another account's looks take nothing from this one's QPS.
   */
  firstPollAt(now: number, account?: string): number {
    const quick = now - (this.lastQuickLook.get(account) ?? Number.NEGATIVE_INFINITY) >= SECOND_LOOK_MS;
    if (quick) this.lastQuickLook.set(account, now);
    return now + firstLookDelay(this.estimateNow, this.o, quick);
  }

  get estimate(): Estimate {
    return this.estimateNow;
  }

  wake(): void {
    this.pump.wake();
  }

  /**
   * Starts polls for due tasks, as many as the queue runs at once and no more: the choice of which task
   * to ask about is made at the last moment. Then sleeps until the next one is due.
   */
  private async run(): Promise<void> {
    if (this.stopped) return;
    const now = this.o.clock.now();
    if (this.queue.free > 0) {
      const due = await this.o.store.claimPolls({ now, limit: this.queue.free, leaseMs: LEASE_MS });
      for (const job of due)
        this.queue.add(
          job.id,
          () => this.poll(job),
          () => this.wake(),
        );
    }
    const next = await this.o.store.nextPollAt();
    if (next !== undefined && next > now) this.pump.wakeAt(next);
  }

  private async poll(job: Job): Promise<void> {
    const { store, clock } = this.o;
    if (!job.taskId) return;
    const started = clock.now();
    if (started - (job.submittedAt ?? started) > this.o.taskTimeoutMs) {
      await this.o.failures.fail(job, ['running'], jobError('TASK_TIMEOUT'));
      return;
    }
    let r: TaskResult;
    try {
      r = await this.o.jimeng.client(job.account).getResult(job.taskId, job.reqKey);
    } catch (err) {
      const code = isJimengError(err) ? err.code : 'NETWORK';
      const errors = (job.pollErrors ?? 0) + 1;
      if (errors >= (this.o.maxPollErrors ?? 5)) {
        // A run of failures (5xx, no answer): the task is as good as lost; the quota comes back.
        await this.o.failures.fail(
          job,
          ['running'],
          jobError(code === 'INTERNAL' ? 'POLL_FAILED' : code, { detail: String(err) }),
        );
        return;
      }
      this.o.log.warn(
        { jobId: job.id, taskId: job.taskId, code, errors },
        'get-result failed; will poll again',
      );
      const at = clock.now();
      await store.transition(
        job.id,
        {
          from: ['running'],
          set: {
            polls: job.polls + 1,
            pollErrors: errors,
            // After a failed call wait a little longer than the schedule says (5 × the shortest wait: 10 s).
            nextPollAt: at + Math.max(this.delay(job, at), 5 * this.o.minPollMs),
          },
          release: 'poll',
        },
        at,
      );
      return;
    }
    const at = clock.now();
    if (r.status === 'in_queue' || r.status === 'generating') {
      this.lastNotDone.set(job.id, at);
      // A fresh task's card says "generating"; it changes when Jimeng says otherwise.
      const changed = r.status !== (job.taskStatus ?? 'generating');
      await store.transition(
        job.id,
        {
          from: ['running'],
          set: {
            polls: job.polls + 1,
            pollErrors: 0,
            taskStatus: r.status,
            nextPollAt: at + this.delay(job, at),
          },
          release: 'poll',
          card: changed,
        },
        at,
      );
      if (changed) this.o.onCardChange();
      return;
    }
    const notDone = this.lastNotDone.get(job.id);
    this.lastNotDone.delete(job.id);
    if (this.scoutId === job.id) this.scoutId = undefined;
    if (r.status === 'done' && r.videoUrl) {
      await this.observe(observedDuration(job.submittedAt ?? at, notDone, at, this.estimateNow), at);
      const seed = (r as { seed?: unknown }).seed;
      const done = await store.transition(
        job.id,
        {
          from: ['running'],
          set: {
            polls: job.polls + 1,
            videoUrl: r.videoUrl,
            doneAt: at,
            delivery: { attempts: 0 },
            ...(typeof seed === 'number' ? { resultSeed: seed } : {}),
          },
          release: 'poll',
        },
        at,
      );
      if (!done) return;
      logState(this.o.log, done, 'generated', { polls: done.polls });
      this.o.onDone(done);
      return;
    }
    const code =
      r.error?.code ??
      (r.status === 'expired' ? 'TASK_EXPIRED' : r.status === 'not_found' ? 'TASK_NOT_FOUND' : 'TASK_FAILED');
    await this.o.failures.fail(job, ['running'], jobError(code, { detail: r.error?.message ?? r.status }));
  }

  private delay(job: Job, now: number): number {
    // While nothing has been observed, the oldest task polled is the scout.
    if (this.estimateNow.observations === 0 && this.scoutId === undefined) this.scoutId = job.id;
    return nextLookDelay(this.estimateNow, now - (job.submittedAt ?? now), this.o, this.scoutId === job.id);
  }

  /** A task finished after `tookMs`: learn it, and bring forward the tasks a new estimate says are due sooner. */
  private async observe(tookMs: number, now: number): Promise<void> {
    const before = this.estimateNow;
    this.estimateNow = learn(before, tookMs);
    if (!movedEnough(before, this.estimateNow)) return;
    this.o.log.info(
      { estimateMs: this.estimateNow.ms, was: before.ms },
      'generation time estimate changed; rescheduling polls',
    );
    for (const j of await this.o.store.jobsIn(['running'])) {
      if (j.videoUrl || !j.taskId || j.nextPollAt === undefined || j.submittedAt === undefined) continue;
      const lastLook = this.lastNotDone.get(j.id) ?? j.submittedAt;
      const at = rescheduled(j.submittedAt, j.nextPollAt, this.estimateNow, this.o, now, lastLook);
      if (at < j.nextPollAt)
        await this.o.store.transition(j.id, { from: ['running'], set: { nextPollAt: at } }, now);
    }
    this.wake();
  }

  /** Looks for work now and waits until everything it started is done. */
  async settle(): Promise<void> {
    await this.pump.runNow();
    await this.queue.onIdle();
  }

  idle(): Promise<void> {
    return this.queue.onIdle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pump.stop();
    await this.queue.stop();
  }
}
