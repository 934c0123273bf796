import { readFile } from 'node:fs/promises';
import PQueue from 'p-queue';
import type { Locale } from '../config.js';
import type { JimengClient } from '../jimeng/client.js';
import { isJimengError, JimengError } from '../jimeng/errors.js';
import { isLarkApiError } from '../lark/lark-error.js';
import type { Messenger } from '../lark/messenger.js';
import { type Logger, silentLogger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Job } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { type CardView, jobCard } from './cards.js';
import { jobTexts } from './job-texts.js';
import { consume, markDelivered, refund } from './quota.js';

export interface JobRunnerOptions {
  store: Store;
  jimeng: JimengClient;
  messenger: Messenger;
  logger?: Logger;
  metrics?: Metrics;
  locale?: Locale;
  /** Tasks allowed at Jimeng at once (submitted and not finished). */
  maxConcurrent?: number;
  /** Starting guess of how long a generation takes; refined from what the poller sees. */
  expectedGenerationMs?: number;
  /** Shortest wait between two polls of one task. */
  minPollMs?: number;
  /** Give up on a task after this long. */
  taskTimeoutMs?: number;
  /** Largest video re-hosted into Feishu (its limit is 30 MB); bigger ones are answered with the link. */
  maxVideoBytes?: number;
  /** A queued job answered "busy" waits this long before trying again. */
  busyRetryMs?: number;
  maxBusyRetries?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Drives persisted jobs through queued → submitting → running → delivered | failed | cancelled.
 * Submissions go through one p-queue gated on the Jimeng concurrency budget; one poller asks for
 * results of all running tasks (never a timer per task), scheduling each poll around the expected
 * completion time so a handful of calls per task suffice. Every step is written to the store
 * before and after the network call it guards, so a restart resumes where it stopped.
 */
export class JobRunner {
  private readonly o: Required<Omit<JobRunnerOptions, 'metrics' | 'logger'>> & { metrics?: Metrics };
  private readonly log: Logger;
  private readonly submitQueue: PQueue;
  private readonly pollQueue = new PQueue({ concurrency: 2 });
  private readonly deliverQueue = new PQueue({ concurrency: 2 });
  private readonly busy = new Set<string>();
  private readonly held = new Set<string>();
  /** When each running task last answered "not done yet" (in memory; for the generation-time estimate). */
  private readonly lastNotDone = new Map<string, number>();
  private readonly polling = new Set<string>();
  private readonly delivering = new Set<string>();
  private readonly cardPatches = new Map<string, Promise<boolean>>();
  private estimateMs: number;
  private pollTimer: NodeJS.Timeout | undefined;
  private pumpTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(options: JobRunnerOptions) {
    this.o = {
      locale: 'zh',
      maxConcurrent: 2,
      expectedGenerationMs: 60_000,
      minPollMs: 2_000,
      taskTimeoutMs: 60 * 60_000,
      maxVideoBytes: 30 * 1024 * 1024,
      busyRetryMs: 15_000,
      maxBusyRetries: 40,
      fetch: globalThis.fetch,
      now: Date.now,
      ...options,
    };
    this.log = options.logger ?? silentLogger;
    this.estimateMs = this.o.expectedGenerationMs;
    this.submitQueue = new PQueue({ concurrency: this.o.maxConcurrent });
  }

  private get store() {
    return this.o.store;
  }
  private get t() {
    return jobTexts(this.o.locale);
  }

  /** Resumes whatever a previous process left behind, then starts the loops. */
  async start(): Promise<void> {
    this.stopped = false;
    const now = this.o.now();
    for (const job of this.store.activeJobs()) {
      if (job.state === 'submitting') {
        // We cannot know whether Jimeng created the task: say so instead of paying twice.
        this.logState(job, 'resume: submit outcome unknown');
        await this.fail(job, { code: 'SUBMIT_UNCERTAIN', message: this.t.submitUncertain }, 'uncertain');
      } else if (job.state === 'running') {
        this.logState(job, 'resume: polling');
        this.store.update(job, { nextPollAt: Math.min(job.nextPollAt ?? now, now + 1000) });
        if (job.videoUrl) this.deliver(job);
      }
    }
    await this.store.commit();
    this.sweepTimer = setInterval(() => this.sweep(), 30_000);
    this.sweepTimer.unref();
    this.sweep();
    this.pump();
    this.schedulePoll();
  }

  /** Stops taking new work and waits for calls in flight (their results are persisted). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.pumpTimer);
    clearInterval(this.sweepTimer);
    this.submitQueue.clear();
    this.pollQueue.clear();
    this.deliverQueue.clear();
    await Promise.all([this.submitQueue.onIdle(), this.pollQueue.onIdle(), this.deliverQueue.onIdle()]);
    await this.store.commit();
  }

  /** 1-based position among queued jobs, for the acceptance card. */
  queuePosition(job: Job): number {
    let ahead = 0;
    for (const j of this.store.jobs()) {
      if (j === job) return job.state === 'queued' ? ahead + 1 : 0;
      if (j.state === 'queued') ahead++;
    }
    return 0;
  }

  /** A new job the bot is still announcing: not submitted until `enqueue`. In memory only. */
  hold(job: Job): void {
    this.held.add(job.id);
  }

  /** Called after a new job is persisted and its card sent (or the card failed). */
  enqueue(job: Job): void {
    this.held.delete(job.id);
    this.pump();
  }

  /** Cancels a queued job (refunding it); false when it is past the point of no return. */
  async cancel(job: Job): Promise<boolean> {
    if (job.state !== 'queued' || this.busy.has(job.id)) return false;
    refund(this.store.data, job, this.o.now());
    this.store.update(job, { state: 'cancelled', answeredAt: this.o.now() });
    this.logState(job, 'cancelled');
    await this.store.commit();
    await this.store.removeImage(job);
    await this.patchCard(job, { phase: 'cancelled' });
    return true;
  }

  // ---- submitting -------------------------------------------------------------------------

  private pump(): void {
    if (this.stopped) return;
    clearTimeout(this.pumpTimer);
    const now = this.o.now();
    const atJimeng = this.store
      .jobs()
      .filter((j) => j.state === 'submitting' || (j.state === 'running' && !j.videoUrl)).length;
    let slots = this.o.maxConcurrent - atJimeng - this.submitQueue.size;
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const job of this.store.jobs()) {
      if (slots <= 0) break;
      if (job.state !== 'queued' || this.busy.has(job.id) || this.held.has(job.id)) continue;
      if (job.retryAt && job.retryAt > now) {
        wakeAt = Math.min(wakeAt, job.retryAt);
        continue;
      }
      slots--;
      this.busy.add(job.id);
      this.submitQueue
        .add(() => this.submit(job))
        .catch((err) => this.log.error({ err, jobId: job.id }, 'submit crashed'))
        .finally(() => {
          this.busy.delete(job.id);
          this.pump();
        });
    }
    if (wakeAt < Number.POSITIVE_INFINITY) this.pumpTimer = setTimeout(() => this.pump(), wakeAt - now + 10);
  }

  private async submit(job: Job): Promise<void> {
    if (this.stopped || job.state !== 'queued') return;
    this.store.update(job, { state: 'submitting' });
    this.logState(job, 'submitting');
    await this.store.commit();
    let image: Uint8Array | undefined;
    if (job.image) {
      try {
        image = await readFile(job.image.file);
      } catch {
        await this.fail(job, { code: 'IMAGE_LOST', message: this.t.imageLost });
        return;
      }
    }
    try {
      const r = await this.o.jimeng.submit({
        model: job.reqKey,
        prompt: job.prompt,
        duration: job.duration,
        ...(job.ratio && !job.image ? { ratio: job.ratio } : {}),
        ...(job.seed !== undefined ? { seed: job.seed } : {}),
        ...(image ? { image: { bytes: image } } : {}),
      });
      const now = this.o.now();
      consume(this.store.data, job, now);
      this.store.update(job, {
        state: 'running',
        taskId: r.taskId,
        submittedAt: now,
        polls: 0,
        nextPollAt: now + this.firstPollDelay(),
      });
      this.logState(job, 'running', { taskId: r.taskId });
      await this.store.commit();
      await this.store.removeImage(job);
      this.schedulePoll();
      void this.patchCard(job, { phase: 'generating' });
    } catch (err) {
      const e = toJimengError(err);
      if (e.retryable && !e.maybeCreated && job.busyRetries < this.o.maxBusyRetries) {
        // Jimeng said "busy" before creating anything: back to the queue, try again later.
        this.store.update(job, {
          state: 'queued',
          busyRetries: job.busyRetries + 1,
          retryAt: this.o.now() + this.o.busyRetryMs,
        });
        this.logState(job, 'queued (busy, will retry)', { code: e.code });
        await this.store.commit();
        // Say it once, not on every retry (card patches are rate-limited and count against API caps).
        if (job.busyRetries === 1) void this.patchCard(job, { phase: 'queued', note: this.t.busy });
        return;
      }
      if (e.maybeCreated) {
        await this.fail(job, { code: 'SUBMIT_UNCERTAIN', message: this.t.submitUncertain }, 'uncertain');
        return;
      }
      await this.fail(job, { code: e.code, message: this.reasonFor(e), retryable: e.retryable });
    }
  }

  // ---- polling ----------------------------------------------------------------------------

  private firstPollDelay(): number {
    return Math.max(this.o.minPollMs, Math.round(this.estimateMs * 0.75));
  }

  private nextPollDelay(job: Job, now: number): number {
    const elapsed = now - (job.submittedAt ?? now);
    const remaining = this.estimateMs - elapsed;
    const floor = this.o.minPollMs;
    if (remaining > 0) return Math.max(floor, Math.min(remaining / 2, 15_000));
    const late = -remaining;
    if (late < 2 * 60_000) return Math.max(floor, 3_000);
    if (late < 10 * 60_000) return Math.max(floor, 10_000);
    return Math.max(floor, 30_000);
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    clearTimeout(this.pollTimer);
    // A full poll queue calls back here when a poll finishes.
    if (this.pollQueue.pending + this.pollQueue.size >= this.pollQueue.concurrency) return;
    let next = Number.POSITIVE_INFINITY;
    for (const j of this.store.jobs())
      if (j.state === 'running' && !j.videoUrl && !this.polling.has(j.id))
        next = Math.min(next, j.nextPollAt ?? 0);
    if (next === Number.POSITIVE_INFINITY) return;
    this.pollTimer = setTimeout(() => this.pollDue(), Math.max(0, next - this.o.now()));
  }

  /**
   * Starts polls for due tasks, as many as the poll queue runs at once and no more: each call slot is
   * scarce (the account's QPS is shared by every task), so the choice of which task to ask about is made
   * at the last moment, and it goes to the task submitted longest ago, the one most likely to be done.
   */
  private pollDue(): void {
    const now = this.o.now();
    const free = this.pollQueue.concurrency - this.pollQueue.pending - this.pollQueue.size;
    const due = this.store
      .jobs()
      .filter(
        (j) => j.state === 'running' && !j.videoUrl && !this.polling.has(j.id) && (j.nextPollAt ?? 0) <= now,
      )
      .sort((a, b) => (a.submittedAt ?? 0) - (b.submittedAt ?? 0))
      .slice(0, Math.max(0, free));
    for (const job of due) {
      this.polling.add(job.id);
      this.pollQueue
        .add(() => this.poll(job))
        .catch((err) => this.log.error({ err, jobId: job.id }, 'poll crashed'))
        .finally(() => {
          this.polling.delete(job.id);
          this.schedulePoll();
        });
    }
    this.schedulePoll();
  }

  private async poll(job: Job): Promise<void> {
    if (this.stopped || job.state !== 'running' || !job.taskId) return;
    const now = this.o.now();
    if (now - (job.submittedAt ?? now) > this.o.taskTimeoutMs) {
      await this.fail(job, { code: 'TASK_TIMEOUT', message: this.t.timeout });
      return;
    }
    job.polls += 1;
    let r: Awaited<ReturnType<JimengClient['getResult']>>;
    try {
      r = await this.o.jimeng.getResult(job.taskId, job.reqKey);
    } catch (err) {
      const e = toJimengError(err);
      this.log.warn(
        { jobId: job.id, taskId: job.taskId, code: e.code },
        'get-result failed; will poll again',
      );
      job.nextPollAt = this.o.now() + Math.max(this.nextPollDelay(job, this.o.now()), 10_000);
      this.store.touch(job);
      return;
    }
    const at = this.o.now();
    if (r.status === 'in_queue' || r.status === 'generating') {
      this.lastNotDone.set(job.id, at);
      job.nextPollAt = at + this.nextPollDelay(job, at);
      this.store.touch(job);
      return;
    }
    const notDone = this.lastNotDone.get(job.id);
    this.lastNotDone.delete(job.id);
    if (r.status === 'done' && r.videoUrl) {
      // It finished between the last "not yet" and now: take the middle, or a late poll (the budget is
      // shared) would teach the estimate that generation is slower than it is, and polls would drift later.
      const took = (notDone === undefined ? at : (notDone + at) / 2) - (job.submittedAt ?? at);
      this.estimateMs = Math.round(this.estimateMs * 0.7 + took * 0.3);
      this.store.update(job, { videoUrl: r.videoUrl, doneAt: at, ...seedOf(r) });
      this.logState(job, 'generated', { polls: job.polls });
      await this.store.commit();
      this.deliver(job);
      return;
    }
    const e =
      r.error ??
      taskError(
        r.status === 'expired' ? 'TASK_EXPIRED' : r.status === 'not_found' ? 'TASK_NOT_FOUND' : 'TASK_FAILED',
      );
    await this.fail(job, { code: e.code, message: this.reasonFor(e) });
  }

  // ---- delivering -------------------------------------------------------------------------

  private deliver(job: Job): void {
    if (this.delivering.has(job.id)) return;
    this.delivering.add(job.id);
    this.deliverQueue
      .add(() => this.deliverNow(job))
      .catch((err) => this.log.error({ err, jobId: job.id }, 'delivery crashed'))
      .finally(() => this.delivering.delete(job.id));
  }

  private async deliverNow(job: Job): Promise<void> {
    if (job.state !== 'running' || !job.videoUrl || this.stopped) return;
    const url = job.videoUrl;
    let sent = false;
    try {
      const bytes = await this.download(url);
      if (bytes) {
        if (!job.fileKey) {
          const fileKey = await this.o.messenger.uploadVideo(bytes, `${job.id}.mp4`, job.duration * 1000);
          this.store.update(job, { fileKey });
          await this.store.commit();
        }
        await this.o.messenger.replyMedia(job.messageId, job.fileKey!, {
          uuid: `${job.id}-video`,
          inThread: true,
        });
        sent = true;
      }
    } catch (err) {
      // [robustness fix] The upload worked but the media reply failed in transit (timeout/5xx): Feishu may
      // already have created it. Answering with the link as well would be a second answer
      // (test/robustness/faults.test.ts "media reply times out"), so retry the same-uuid reply on the next
      // sweep instead; Feishu dedups the uuid for an hour.
      if (job.fileKey && isLarkApiError(err) && err.retryable) {
        this.log.warn({ err: String(err), jobId: job.id }, 'video reply failed in transit; will retry it');
        return;
      }
      this.log.warn(
        { err: String(err), jobId: job.id },
        'could not re-host the video; answering with the link',
      );
    }
    if (!sent) {
      try {
        await this.o.messenger.replyText(job.messageId, this.t.linkOnly(url), {
          uuid: `${job.id}-link`,
          inThread: true,
        });
      } catch (err) {
        this.log.error({ err: String(err), jobId: job.id }, 'could not answer with the video; will retry');
        return;
      }
    }
    const now = this.o.now();
    markDelivered(this.store.data, job, now);
    this.store.update(job, { state: 'delivered', answeredAt: now });
    this.logState(job, 'delivered', { rehosted: sent });
    this.o.metrics?.timeToAnswer.observe({ outcome: 'delivered' }, (now - job.createdAt) / 1000);
    await this.store.commit();
    await this.patchCard(job, { phase: 'done', link: url, linkOnly: !sent });
    this.pump();
  }

  /** The video's bytes, or null when it is too big to re-host (the caller falls back to the link). */
  private async download(url: string): Promise<Buffer | null> {
    const res = await this.o.fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (!res.ok || !res.body) throw new Error(`video download answered HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > this.o.maxVideoBytes) {
      await res.body.cancel();
      return null;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > this.o.maxVideoBytes) return null;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  // ---- failing and answering --------------------------------------------------------------

  private async fail(
    job: Job,
    error: NonNullable<Job['error']>,
    outcome: 'refunded' | 'uncertain' = 'refunded',
  ) {
    const now = this.o.now();
    refund(this.store.data, job, now, outcome);
    this.store.update(job, { state: 'failed', error, doneAt: now });
    this.logState(job, 'failed', { code: error.code });
    await this.store.commit();
    await this.store.removeImage(job);
    await this.answerFailure(job);
    this.pump();
  }

  private async answerFailure(job: Job): Promise<void> {
    const reason = job.error?.message ?? this.t.unknownFailure;
    let answered = await this.patchCard(job, { phase: 'failed', reason });
    if (!answered) {
      answered = await this.o.messenger
        .replyText(job.messageId, `❌ ${reason}`, { uuid: `${job.id}-final`, inThread: true })
        .then(
          () => true,
          (err) => {
            this.log.error({ err: String(err), jobId: job.id }, 'could not tell the user; will retry');
            return false;
          },
        );
    }
    if (answered) {
      const now = this.o.now();
      this.store.update(job, { answeredAt: now });
      this.o.metrics?.timeToAnswer.observe({ outcome: 'failed' }, (now - job.createdAt) / 1000);
      await this.store.commit();
    }
  }

  /** Retries answers that could not be sent (Feishu down) and deliveries that stalled. */
  private sweep(): void {
    if (this.stopped) return;
    for (const job of this.store.jobs()) {
      if (this.busy.has(job.id) || this.polling.has(job.id) || this.delivering.has(job.id)) continue;
      if (job.state === 'failed' && !job.answeredAt && this.o.now() - job.updatedAt < 3_600_000) {
        void this.answerFailure(job);
      } else if (job.state === 'running' && job.videoUrl) {
        this.deliver(job);
      }
    }
  }

  /**
   * Updates the job's card. Patches of one card run one after another, in the order they were asked
   * for: a slow "generating" patch must never land after (and overwrite) the final "done" one.
   */
  private patchCard(job: Job, view: CardView): Promise<boolean> {
    const cardId = job.cardMessageId;
    if (!cardId) return Promise.resolve(false);
    const previous = this.cardPatches.get(cardId) ?? Promise.resolve(true);
    const next = previous.then(async () => {
      try {
        await this.o.messenger.patchCard(cardId, jobCard(job, view, this.o.locale));
        return true;
      } catch (err) {
        this.log.warn({ err: String(err), jobId: job.id }, 'card update failed');
        return false;
      }
    });
    this.cardPatches.set(cardId, next);
    void next.then(() => {
      if (this.cardPatches.get(cardId) === next) this.cardPatches.delete(cardId);
    });
    return next;
  }

  private reasonFor(e: JimengError): string {
    if (e.audience === 'operator') return `${e.userMessage} ${this.t.tellAdmin}`;
    return e.userMessage;
  }

  private logState(job: Job, state: string, extra: object = {}) {
    this.log.info({ jobId: job.id, messageId: job.messageId, state, ...extra }, `job ${job.id} → ${state}`);
  }
}

function toJimengError(err: unknown): JimengError {
  if (isJimengError(err)) return err;
  return new JimengError({
    code: 'NETWORK',
    message: String(err),
    userMessage: '暂时无法连接即梦服务，稍后会重试。',
    audience: 'transient',
    retryable: true,
  });
}

function taskError(code: 'TASK_EXPIRED' | 'TASK_NOT_FOUND' | 'TASK_FAILED'): JimengError {
  const userMessage = {
    TASK_EXPIRED: '任务已过期（即梦只保留 12 小时），额度已退回，请重新发送命令。',
    TASK_NOT_FOUND: '即梦找不到这个任务，额度已退回，请重新发送命令。',
    TASK_FAILED: '即梦生成失败，额度已退回，可以换个描述再试一次。',
  }[code];
  return new JimengError({ code, message: code, userMessage, audience: 'user', retryable: false });
}

function seedOf(r: object): { resultSeed?: number } {
  const seed = (r as { seed?: unknown }).seed;
  return typeof seed === 'number' ? { resultSeed: seed } : {};
}
