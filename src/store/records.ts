/**
 * The records the store keeps. The store owns these types: it imports nothing from lark/, bot/ or jobs/,
 * and what it hands out are copies (changing one changes nothing stored; only store operations do).
 */

export type Tier = '720p' | '1080p' | 'pro';
export type JobState = 'queued' | 'submitting' | 'running' | 'delivered' | 'failed' | 'cancelled';

/** Jobs by state, all at 0 (what jobCounts starts from). */
export const noJobCounts = (): Record<JobState, number> => ({
  queued: 0,
  submitting: 0,
  running: 0,
  delivered: 0,
  failed: 0,
  cancelled: 0,
});
export const ACTIVE_STATES: readonly JobState[] = ['queued', 'submitting', 'running'];
/** Queued, submitting or running: the job still holds a place at Jimeng or in line for it. */
export const isActive = (job: { state: JobState }): boolean => ACTIVE_STATES.includes(job.state);

/** How the job's quota reservation ended up. */
export type Charge = 'reserved' | 'consumed' | 'refunded';

/** An image the job uses (its bytes are kept by the store until the task is submitted). */
export interface JobImage {
  /** The message that carries the image (to download it again, e.g. for a re-roll). */
  messageId: string;
  imageKey: string;
  width: number;
  height: number;
}

export interface CameraMotion {
  template: string;
  strength: 'weak' | 'medium' | 'strong';
}

/** Why a job failed: a stable code (texts for users are chosen from it) and what else the words need. */
export interface JobError {
  code: string;
  /** Trying again (a new job with the same parameters) may succeed. */
  retryable?: boolean;
  /** Technical detail for logs and operators (never shown to users). */
  detail?: string;
  /** Pre-1.0 records carried the user text here; kept so old state still loads. */
  message?: string;
}

/** The job's progress card: the wanted view is `version`; `sent` is the last version Feishu has. */
export interface CardState {
  messageId?: string;
  version: number;
  sent: number;
  /** When the card owner may try again after a failed send (ms). */
  retryAt?: number;
  attempts?: number;
}

/** Where the finished video is in its way to the chat. */
export interface DeliveryState {
  attempts: number;
  /** Not before (ms): backoff after a failed attempt. */
  nextAt?: number;
  lastError?: string;
}

export interface Job {
  id: string;
  /** Base of every idempotency key of this job's sends: the Feishu message_id or callback id it came from. */
  sourceId: string;
  /** The message the job's answers reply to (the command, or the card that was clicked). */
  messageId: string;
  chatId: string;
  chatType: string;
  userOpenId: string;
  userName?: string;
  /** What made it: a typed command or a card button (with the job it was made from). */
  origin?: { action: string; fromJob: string };

  prompt: string;
  tier: Tier;
  reqKey: string;
  duration: 5 | 10;
  ratio?: string;
  seed?: number;
  images?: JobImage[];
  camera?: CameraMotion;

  state: JobState;
  /** The quota day (YYYY-MM-DD in the quota time zone) the job counts against. */
  day: string;
  costYuan: number;
  charge: Charge;
  /** The Jimeng account the task belongs to (every get-result must be signed by it). */
  account?: string;

  taskId?: string;
  submittedAt?: number;
  /** The last status Jimeng reported while running. */
  taskStatus?: 'in_queue' | 'generating';
  polls: number;
  nextPollAt?: number;
  /** Get-result calls in a row that failed with a retryable error. */
  pollErrors?: number;
  /** Submit attempts answered "busy" (50429/50430) and put back in the queue. */
  busyRetries: number;
  /** A queued job told "busy" waits until then before the next submit. */
  retryAt?: number;

  videoUrl?: string;
  doneAt?: number;
  fileKey?: string;
  /** Delivered as a link only (the video could not be re-hosted). */
  linkOnly?: boolean;
  resultSeed?: number;
  delivery?: DeliveryState;
  error?: JobError;
  card: CardState;
  createdAt: number;
  updatedAt: number;
  /** When the user got the final answer (video or failure), or it was given up as undeliverable. */
  answeredAt?: number;
  /** Nothing can reach the chat (the bot was removed from it): why, and no further sends are tried. */
  undeliverable?: string;
  /** The message the job answers was recalled: its answers go to the chat as new messages. */
  replyGone?: boolean;
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

export type AdminActionKind = 'quota_set' | 'quota_add' | 'quota_chat' | 'pause' | 'resume';

export interface AdminLogEntry {
  by: string;
  action: AdminActionKind;
  /** The action's parameters. */
  target?: string;
  n?: number;
  day?: string;
  reason?: string;
  at: number;
}

export interface DayUsage {
  users: Record<string, number>;
  chats: Record<string, number>;
  yuan: number;
}

export interface Pause {
  reason: string;
  by: string;
  at: number;
}

/** Something Feishu delivered, persisted before it is acknowledged and handled from here. */
export interface InboxItem {
  /** The dedup key: a message_id, or a callback's event id. */
  id: string;
  kind: string;
  receivedAt: number;
  /** The normalised delivery (the bot's type; the store keeps it as JSON). */
  payload: unknown;
  /** Handling attempts that failed (the item is set aside after a few). */
  attempts?: number;
}

/** What the store remembers about a chat. */
export interface ChatFacts {
  /** Replies in a thread are refused there (230071): reply without reply_in_thread. */
  threadsRefused?: boolean;
}
