import type { Clock } from '../clock.js';
import { idempotencyKey } from '../lark/idempotency-key.js';
import { isLarkApiError } from '../lark/lark-error.js';
import type { Messenger, SentMessage } from '../lark/messenger.js';
import type { Logger } from '../log.js';
import type { StorePort } from '../store/port.js';
import type { Job } from '../store/records.js';
import { jobError } from './job-error.js';
import type { JobPresenter } from './presenter.js';

export type JobAnswer =
  | { kind: 'card'; card: object }
  | { kind: 'media'; fileKey: string }
  | { kind: 'text'; text: string };

export interface JobRepliesOptions {
  store: StorePort;
  messenger: Pick<
    Messenger,
    'replyCard' | 'replyMedia' | 'replyText' | 'sendCard' | 'sendMedia' | 'sendText'
  >;
  presenter: JobPresenter;
  clock: Clock;
  log: Logger;
}

/** The message a job answers was recalled (230011) before the job reached Jimeng: it was taken back. */
export class ReplyTargetRecalled extends Error {
  override readonly name = 'ReplyTargetRecalled';
  constructor(readonly job: Job) {
    super(`${job.id}: its command was recalled; cancelled and refunded`);
  }
}

/**
 * Sends a job's answers where they can arrive: a reply in the thread of the message it answers; once that
 * message is recalled (230011), never a reply to it again but a new message to the chat, mentioning the
 * user. Every send's uuid comes from the job's source message and the send's purpose.
 */
export class JobReplies {
  constructor(private readonly o: JobRepliesOptions) {}

  async send(job: Job, answer: JobAnswer, purpose: string): Promise<SentMessage> {
    if (job.replyGone) return this.toChat(job, answer, purpose);
    const opts = { uuid: idempotencyKey(job.sourceId, purpose), inThread: true, chatId: job.chatId };
    const m = this.o.messenger;
    try {
      if (answer.kind === 'card') return await m.replyCard(job.messageId, answer.card, opts);
      if (answer.kind === 'media') return await m.replyMedia(job.messageId, answer.fileKey, opts);
      return await m.replyText(job.messageId, answer.text, opts);
    } catch (err) {
      if (!isLarkApiError(err) || err.code !== 'RECALLED') throw err;
      const now = this.o.clock.now();
      // Not at Jimeng yet: taken back, nothing spent. Otherwise its answers go to the chat from now on.
      const cancelled = await this.o.store.transition(
        job.id,
        {
          from: ['queued'],
          to: 'cancelled',
          charge: 'refund',
          error: jobError('CANCELLED_RECALLED'),
          set: { answeredAt: now, replyGone: true },
        },
        now,
      );
      if (cancelled) throw new ReplyTargetRecalled(cancelled);
      this.o.log.info(
        { jobId: job.id, messageId: job.messageId },
        'the command was recalled; answering in the chat from now on',
      );
      await this.o.store.transition(
        job.id,
        { from: ['submitting', 'running', 'delivered', 'failed', 'cancelled'], set: { replyGone: true } },
        now,
      );
      return this.toChat({ ...job, replyGone: true }, answer, purpose);
    }
  }

  private async toChat(job: Job, answer: JobAnswer, purpose: string): Promise<SentMessage> {
    const m = this.o.messenger;
    const uuid = idempotencyKey(job.sourceId, `${purpose}-c`);
    if (answer.kind === 'card') return m.sendCard(job.chatId, answer.card, { uuid });
    if (answer.kind === 'text') return m.sendText(job.chatId, answer.text, { uuid });
    const sent = await m.sendMedia(job.chatId, answer.fileKey, { uuid });
    // A video on its own in the chat says nothing of whose it is: tell the user, mentioning them.
    await m.sendText(job.chatId, this.o.presenter.inChat(job), {
      uuid: idempotencyKey(job.sourceId, `${purpose}-n`),
    });
    return sent;
  }
}
