/**
 * Every word a user sees, by locale. `zh` (the default) and `en` implement this one interface, so a
 * missing text is a compile error. Nothing else in the bot writes user-facing words.
 */
import type { ModelMode } from '../../jimeng/model-definitions.js';
import type { AccountView } from '../../jobs/pool-access.js';
import type { Refusal } from '../../store/port.js';
import type { AdminLogEntry, CameraMotion, Job, JobState } from '../../store/records.js';
import type { CardActionKind } from '../job-variants.js';
import type { ParseError } from '../parse/parse-error.js';

export type Locale = 'zh' | 'en';
export type Tier = '720p' | '1080p' | 'pro';

export interface HelpParams {
  showAdmin: boolean;
  defaults: { model: Tier; duration: number; ratio: string };
  /** 元 per second by tier. */
  prices: Record<Tier, number>;
}

/** One row of `/models`: what a user chooses (a tier for a mode), with its price for 5 s and for 10 s. */
export interface ModelRow {
  mode: ModelMode;
  tier: Tier;
  reqKey: string;
  resolution: string;
  /** 元 for 5 s and for 10 s. */
  price5: number;
  price10: number;
}

export interface QuotaView {
  used: number;
  limit: number;
  inFlight: number;
  maxInFlight: number;
  spent: number;
  budget: number;
  chatUsed: number;
  chatLimit: number;
}

export type CardPhase = 'queued' | 'generating' | 'done' | 'failed' | 'cancelled';

/** What a progress card shows besides the job itself. */
export interface CardView {
  phase: CardPhase;
  /** Place among queued jobs (1 = next). */
  queuePosition?: number;
  /** Jimeng's last answer while running. */
  taskStatus?: 'in_queue' | 'generating';
  /** The video could not be re-hosted: the link (valid until `linkExpiresAt`) is all the user gets. */
  link?: { url: string; expiresAt: number; only: boolean };
  /** Jimeng said busy; the job waits and retries by itself. */
  busy?: boolean;
}

export interface UsageRow {
  label: string;
  n: number;
  seconds: number;
  yuan: number;
}

export interface UsageView {
  range: 'today' | '7d';
  total: number;
  count: number;
  budget: number;
  paused?: { reason: string };
  byUser: UsageRow[];
  byChat: UsageRow[];
  byModel: UsageRow[];
  admin: AdminLogEntry[];
  /** The Jimeng accounts: up or out and why, tasks in flight. */
  accounts?: AccountView[];
  /** How to show a time (ms) in the admins' time zone. */
  time(at: number): string;
  /** How to show a user (a mention). */
  user(openId: string): string;
}

export interface CardTexts {
  title: Record<CardPhase, string>;
  prompt: string;
  model: string;
  duration: string;
  ratio: string;
  image: string;
  imageYes: string;
  job: string;
  seed: string;
  cost: string;
  /** The cost before the money is spent. */
  estimate: string;
  mode: string;
  modeName(mode: ModelMode, camera?: CameraMotion): string;
  /** A job made by a button: its id, where it came from and which button. */
  derived(id: string, fromJob: string, action: string): string;
  button: Record<CardActionKind, string>;
  /** A button with what it costs. */
  priced(label: string, yuan: number): string;
  /** The button just pressed. */
  pressed(label: string): string;
  editPlaceholder: string;
  auto: string;
  /** One fact line: `**label**：value` with the locale's punctuation. */
  fact(label: string, value: string): string;
  /** Two facts on one line. */
  pair(a: string, b: string): string;
  /** A model as shown: tier and req_key. */
  modelName(tier: string, reqKey: string): string;
  /** The queue place and the hint, as one line. */
  queued(position: string | undefined): string;
  seconds(n: number): string;
  yuan(n: number): string;
  position(n: number): string;
  busy: string;
  inQueueHint: string;
  generatingHint: string;
  cancelHint(id: string): string;
  link(url: string, only: boolean): string;
  /** Why it failed, and whether the quota came back. */
  failed(job: Job): string;
  cancelled: string;
}

export interface ActionTexts {
  queued(jobId: string, position: number): string;
  duplicate(jobId: string, position: number): string;
  /** 重试 on a failure that would fail again. */
  cannotRetry: string;
  /** The same click a moment ago already made a job that is under way. */
  duplicateRunning(jobId: string): string;
  /** The same click a moment ago already made a job that is done. */
  duplicateDone(jobId: string): string;
  /** A variant button of a video not finished yet. */
  notReady: string;
  gone(jobId: string): string;
  alreadyHd: string;
  alreadyLong: string;
  notAvailable: string;
  emptyPrompt: string;
  promptTooLong: string;
  unknown: string;
}

export interface Texts {
  locale: Locale;
  help(p: HelpParams): string;
  /** Short help for a bare @bot, or non-command text in a private chat. */
  mentionOnly(p: { chatType: string }): string;
  models(rows: readonly ModelRow[]): string;
  parseError(e: ParseError): string;
  refusal(r: Refusal): string;
  /** A Jimeng validation error of a request (before anything is spent): by code, with its details. */
  invalidRequest(code: string, details?: Record<string, string | number>): string;
  imageUnreadable: string;
  /** Any handler failure: a polite answer (the details are in the log under `incident`). */
  internalError(incident: string): string;

  quota(v: QuotaView): string;
  jobsEmpty: string;
  jobsHeader: string;
  jobLine(job: Job): string;
  state(s: JobState): string;
  cancelNotFound(id: string): string;
  cancelNotYours: string;
  cancelTooLate(id: string, state: JobState): string;
  cancelled(id: string): string;
  notAdmin: string;
  quotaSet(who: string, n: number): string;
  quotaAdd(who: string, n: number, total: number): string;
  quotaChat(n: number): string;
  paused(reason: string): string;
  resumed: string;
  notPaused: string;
  usage(v: UsageView): { title: string; sections: string[] };

  card: CardTexts;
  /** The reason a job failed, by its error code (Jimeng's and the bot's own). */
  jobError(code: string): string;
  /** More images than a video uses: which ones are. */
  imagesUsed(total: number, used: number): string;
  /** Toasts answering a card button. */
  actions: ActionTexts;
  /** Posted with a video in the chat when the command was recalled (a mention of the user). */
  videoInChat(openId: string, jobId: string): string;
  /** A text answer with the link when the video could not be re-hosted. */
  linkOnly(url: string): string;
}
