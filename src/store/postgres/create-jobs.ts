import { jobIdOf } from '../job-rules.js';
import type { CreateJobResult, JobDraft, QuotaPolicy, QuotaState } from '../port.js';
import { refusalFor } from '../quota-rule.js';
import type { Job } from '../records.js';
import type { Db, Query } from './db.js';
import { newJob } from './job-record.js';
import { toJson } from './json-codec.js';
import { USER_LOCK_CLASS } from './locks.js';
import { type QuotaRow, quotaStateOf } from './quota-ops.js';
import {
  DROP_DAYS,
  INSERT_JOBS,
  LOCK_DAYS,
  LOCK_USERS,
  NEXT_JOB_SEQS,
  QUOTA_STATES,
} from './sql/create-jobs.js';
import { INSERT_IMAGES } from './sql/jobs.js';

/** One createJob call. */
export interface CreateCall {
  draft: JobDraft;
  policy: QuotaPolicy;
  opts: { now: number; inboxId?: string; images?: Uint8Array[] };
}

/** A quota row of the batch, with the batch's inbox items still there. */
interface BatchQuotaRow extends QuotaRow {
  inbox: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const uniq = (xs: string[]) => [...new Set(xs)];
const toBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * Several createJob calls in one transaction, with the answers each would get alone, in call order (the
 * file store's group commit, for PostgreSQL: one lock round and one commit for the whole batch).
 *
 * Lock order, as in every transaction (job-write-ops.ts): the users (advisory, by key), then the days'
 * usage rows (by day), then the messages' inbox items (which only batches of their user ever lock). With every user and day of the batch locked, the quota read once
 * is the truth; the calls are then decided one after another, each seeing the reservations of the ones
 * before it, as if they had run alone in that order. So racing replicas still cannot pass a limit twice,
 * and one message (inbox item) still makes one job.
 */
export function createJobs(db: Db, calls: readonly CreateCall[]): Promise<CreateJobResult[]> {
  return db.tx(async (q) => {
    const inboxIds = uniq(calls.flatMap((c) => (c.opts.inboxId !== undefined ? [c.opts.inboxId] : [])));
    const days = uniq(calls.map((c) => c.draft.day));
    await q(LOCK_USERS, [USER_LOCK_CLASS, uniq(calls.map((c) => c.draft.userOpenId))]);
    const locked = (await q<{ day: string; created: boolean }>(LOCK_DAYS, [days])).rows;
    const created = locked.filter((r) => r.created).map((r) => r.day);
    const quota = await readQuotas(q, calls, inboxIds);
    const present = quota.inbox;

    const results: (CreateJobResult | undefined)[] = [];
    const passed: { call: CreateCall; at: number }[] = [];
    for (const call of calls) {
      const { draft, policy, opts } = call;
      if (opts.inboxId !== undefined && !present.has(opts.inboxId)) {
        results.push({ ok: false, handledElsewhere: true });
        continue;
      }
      const state = quota.of(draft);
      const refusal = refusalFor(state, policy, draft.costYuan);
      if (refusal) {
        results.push({ ok: false, refusal });
        continue;
      }
      quota.reserve(draft);
      if (opts.inboxId !== undefined) present.delete(opts.inboxId);
      passed.push({ call, at: results.length });
      results.push(undefined); // the job, once written
    }
    const unused = created.filter((d) => !passed.some((p) => p.call.draft.day === d));
    if (unused.length) await q(DROP_DAYS, [unused]);
    const gone: CreateJobResult = { ok: false, handledElsewhere: true };
    const answers = () => results.map((r) => r ?? gone);
    if (!passed.length) return answers();

    const seqs = (await q<{ seq: number }>(NEXT_JOB_SEQS, [passed.length])).rows.map((r) => r.seq);
    const jobs: Job[] = passed.map((p, i) => newJob(p.call.draft, jobIdOf(seqs[i]!), p.call.opts.now));
    const spentDays = uniq(jobs.map((j) => j.day));
    await q(INSERT_JOBS, [
      jobs.map((j) => j.id),
      seqs,
      jobs.map((j) => toJson(j)),
      jobs.map((j) => j.day),
      jobs.map((j) => j.userOpenId),
      jobs.map((j) => j.chatId),
      jobs.map((j) => j.reqKey),
      jobs.map((j) => j.duration),
      jobs.map((j) => j.costYuan),
      passed.map((p) => p.call.opts.now),
      spentDays,
      spentDays.map((d) => quota.spent(d)),
      passed.flatMap((p) => (p.call.opts.inboxId !== undefined ? [p.call.opts.inboxId] : [])),
    ]);
    for (const [i, p] of passed.entries()) {
      const images = p.call.opts.images;
      if (images?.length) await q(INSERT_IMAGES, [jobs[i]!.id, images.map(toBuffer)]);
      results[p.at] = { ok: true, job: jobs[i]! };
    }
    return answers();
  });
}

/**
 * The quota state of every (day, user, chat) of the batch, and the reservations made as it is decided;
 * and which of the batch's inbox items are still there (locked).
 */
async function readQuotas(q: Query, calls: readonly CreateCall[], inboxIds: string[]) {
  const keyOf = (d: JobDraft) => `${d.day}\u0000${d.userOpenId}\u0000${d.chatId}`;
  const keys = uniq(calls.map((c) => keyOf(c.draft)));
  const triples = keys.map((k) => k.split('\u0000'));
  const columns = [0, 1, 2].map((i) => triples.map((t) => t[i]));
  const rows = (await q<BatchQuotaRow>(QUOTA_STATES, [...columns, inboxIds])).rows;
  const used = new Map<string, number>(); // day|user
  const chatUsed = new Map<string, number>(); // day|chat
  const spent = new Map<string, number>(); // day
  const inFlight = new Map<string, number>(); // user
  const base = new Map<string, BatchQuotaRow>();
  for (const [i, [day, user, chat]] of triples.entries()) {
    const r = rows[i]!;
    base.set(keys[i]!, r);
    used.set(`${day}|${user}`, r.used ?? 0);
    chatUsed.set(`${day}|${chat}`, r.chat_used ?? 0);
    spent.set(day!, r.spent_yuan ?? 0);
    inFlight.set(user!, r.in_flight);
  }
  return {
    inbox: new Set(rows[0]?.inbox ?? []),
    of(d: JobDraft): QuotaState {
      // The row's limits and pause, with the counts as this batch has reserved them so far.
      return {
        ...quotaStateOf(base.get(keyOf(d))!),
        used: used.get(`${d.day}|${d.userOpenId}`)!,
        chatUsed: chatUsed.get(`${d.day}|${d.chatId}`)!,
        spentYuan: spent.get(d.day)!,
        inFlight: inFlight.get(d.userOpenId)!,
      };
    },
    reserve(d: JobDraft): void {
      used.set(`${d.day}|${d.userOpenId}`, used.get(`${d.day}|${d.userOpenId}`)! + 1);
      chatUsed.set(`${d.day}|${d.chatId}`, chatUsed.get(`${d.day}|${d.chatId}`)! + 1);
      spent.set(d.day, round2(spent.get(d.day)! + d.costYuan));
      inFlight.set(d.userOpenId, inFlight.get(d.userOpenId)! + 1);
    },
    spent: (day: string) => spent.get(day)!,
  };
}
