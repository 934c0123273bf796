import type { Tier } from '../config.js';
import type { IncomingMessage } from '../lark/types.js';

export type JobState = 'queued' | 'submitting' | 'running' | 'delivered' | 'failed' | 'cancelled';
export const ACTIVE_STATES: readonly JobState[] = ['queued', 'submitting', 'running'];
/** Queued, submitting or running: the job still holds a place at Jimeng or in line for it. */
export const isActive = (job: { state: JobState }): boolean => ACTIVE_STATES.includes(job.state);

/** How the job's quota reservation ended up. */
export type Charge = 'reserved' | 'consumed' | 'refunded';

export interface JobImage {
  /** Message that carries the image (the replied-to message or the post itself). */
  messageId: string;
  imageKey: string;
  /** Where the downloaded bytes wait for submission (deleted once the job ends). */
  file: string;
  width: number;
  height: number;
}

export interface Job {
  id: string;
  messageId: string;
  chatId: string;
  chatType: string;
  userOpenId: string;
  userName?: string;
  prompt: string;
  tier: Tier;
  reqKey: string;
  duration: 5 | 10;
  ratio?: string;
  seed?: number;
  image?: JobImage;
  state: JobState;
  day: string;
  costYuan: number;
  charge: Charge;
  taskId?: string;
  cardMessageId?: string;
  videoUrl?: string;
  fileKey?: string;
  resultSeed?: number;
  error?: { code: string; message: string; retryable?: boolean };
  /** Submit attempts that were answered "busy" (50429/50430) and put back in the queue. */
  busyRetries: number;
  polls: number;
  nextPollAt?: number;
  /** A queued job told "busy" by Jimeng waits until then before the next submit. */
  retryAt?: number;
  createdAt: number;
  updatedAt: number;
  submittedAt?: number;
  doneAt?: number;
  answeredAt?: number;
}

export interface LedgerEntry {
  jobId: string;
  user: string;
  chat: string;
  model: string;
  seconds: number;
  yuan: number;
  outcome: 'reserved' | 'charged' | 'delivered' | 'refunded' | 'uncertain';
  at: number;
}

export interface AdminAction {
  by: string;
  action: string;
  detail: string;
  at: number;
}

export interface DayUsage {
  users: Record<string, number>;
  chats: Record<string, number>;
  yuan: number;
}

export interface StoreData {
  version: 1;
  seq: number;
  jobs: Job[];
  /** message_id → first seen (ms). Kept for `dedupHours`. */
  seen: Record<string, number>;
  /** Accepted messages not yet handled (persisted before the webhook is acknowledged). */
  inbox: IncomingMessage[];
  usage: Record<string, DayUsage>;
  userLimits: Record<string, number>;
  /** `${day}|${openId}` → extra videos granted for that day. */
  extras: Record<string, number>;
  chatLimit: number | null;
  ledger: LedgerEntry[];
  adminLog: AdminAction[];
  paused: { reason: string; by: string; at: number } | null;
  /** The last journal batch this snapshot includes (see store.ts). */
  journalSeq: number;
}

export function emptyData(): StoreData {
  return {
    version: 1,
    seq: 0,
    jobs: [],
    seen: {},
    inbox: [],
    usage: {},
    userLimits: {},
    extras: {},
    chatLimit: null,
    ledger: [],
    adminLog: [],
    paused: null,
    journalSeq: 0,
  };
}
