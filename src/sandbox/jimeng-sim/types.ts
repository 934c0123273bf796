import type { Logger } from '../../log.js';

export type FaultKind =
  | 'qps'
  | 'concurrency'
  | 'risk_text'
  | 'risk_image'
  | 'risk_output'
  | 'fail'
  | '500'
  | 'slow'
  | 'hang';

/** A business failure a task ends with: what its get-result answers once the failure is due. */
export interface SimFailure {
  /** Business code, e.g. 50500 internal, 50215 inputs rejected, 50511/50516 output risk. */
  code: number;
  /** HTTP status of that answer (default: the table's for the code; 200 for 50500/50501). */
  httpStatus?: number;
  /** The `message` field (default: the documented message for the code). */
  message?: string;
}

/** A task failure that comes early: the task fails `afterMs` after its submit, whatever its generation time. */
export interface EarlyFailure extends SimFailure {
  afterMs: number;
}

export interface FaultPlan {
  /** One-shot faults for the next calls (see jimeng-simulator.ts for which call consumes which kind). */
  next: FaultKind[];
  /** The next n created tasks fail at generation. */
  failNextTasks: number;
  /** Every n-th created task fails at generation (0 = off). */
  failEveryNth: number;
  /** Delay for 'slow' (ms). */
  slowMs: number;
  /** Honour the upper-case prompt triggers RISK, RISK_IMAGE, RISK_OUTPUT, FAIL, SLOW. */
  promptTriggers: boolean;
  /**
   * Shape of a failed task's get-result answer: `true` (default, the documented behaviour: "code!=10000的情况下，
   * 该字段返回为null") answers `data: null`; `false` answers the old `data: { status: 'done', video_url: '' }`.
   */
  nullDataOnFailure: boolean;
  /** Code a generation failure ('fail', failNextTasks, failEveryNth, "FAIL") answers. Default 50500. */
  failureCode: number;
  /** Early failures for the next created tasks, one each, in order (see `sim.failNextTaskAfter`). */
  earlyFailures: EarlyFailure[];
}

export type SimTaskOutcome = 'ok' | 'fail' | 'risk_output';
export type SimTaskStatus = 'in_queue' | 'generating' | 'done' | 'expired';

export interface SimTask {
  id: string;
  reqKey: string;
  accessKeyId: string;
  /** The parsed JSON body exactly as received. */
  body: Record<string, unknown>;
  prompt: string;
  frames: 121 | 241;
  /** The seed asked for (-1 = random). */
  requestedSeed: number;
  /** The seed used (random when -1 was asked for); returned in the done answer. */
  seed: number;
  aspectRatio?: string;
  /** jimeng_i2v_recamera_v30 only. */
  templateId?: string;
  cameraStrength?: 'weak' | 'medium' | 'strong';
  /** Decoded binary_data_base64 images. */
  images: Buffer[];
  imageUrls: string[];
  createdAt: number;
  /** Generation time for this task (ms); setGenerationMs() updates unfinished tasks too. */
  generationMs: number;
  /** Set when a poll first sees the task done; from then on it stays done. */
  doneAt?: number;
  outcome: SimTaskOutcome;
  /** The fault that decided the outcome, if any. */
  fault?: 'fail' | 'risk_output';
  /** How a failed task answers (set when outcome is not 'ok'). */
  failure?: SimFailure;
  /** When set, the task is done (failed) this long after createdAt. */
  failAfterMs?: number;
  polls: number;
}

export interface SimCall {
  action: string;
  taskId?: string;
  /** The account that signed the call (absent when the gateway refused it before knowing one). */
  accessKeyId?: string;
  /** Business code (10000, 50215…) or gateway error code string (SignatureDoesNotMatch…). */
  code: number | string;
  httpStatus: number;
  at: number;
}

export interface SimStats {
  submits: number;
  polls: number;
  /** 50429 answers (real limit and injected). */
  qpsLimited: number;
  /** 50430 answers. */
  concurrencyLimited: number;
  authFailures: number;
  invalid: number;
  /** GETs of a finished video (whole or ranged). */
  videoDownloads: number;
}

export interface SimLimits {
  qps?: number;
  maxConcurrentTasks?: number;
}

/** One Volcengine account (AK/SK pair) with its own limits. */
export interface SimAccount extends SimLimits {
  accessKeyId: string;
  secretAccessKey: string;
  /** req_keys the account has not enabled: submit and get-result for them answer 50400 (Access Denied). */
  deniedModels?: string[];
}

export interface JimengSimulatorOptions {
  port?: number;
  host?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** More AK → SK pairs accepted besides the main one; they use the top-level limits. */
  extraCredentials?: Record<string, string>;
  /**
   * More accounts, each with its own limits (a limit left out falls back to the top-level one). Limits are
   * per account, and an account sees only its own tasks.
   */
  accounts?: SimAccount[];
  /** Time from submit to done (ms). Default 3000. */
  generationMs?: number;
  /** Requests per second per AK over both actions; 0 = unlimited (default). */
  qps?: number;
  /** Unfinished tasks per AK; 0 = unlimited (default). */
  maxConcurrentTasks?: number;
  /** Tasks older than this answer `expired`. Default 12 h. */
  taskExpiryMs?: number;
  /** How long the video URL works after the task finished. Default 1 h. */
  videoTtlMs?: number;
  /** Allowed |X-Date − now|. Default 15 min. */
  maxClockSkewMs?: number;
  /** Base URL written into video_url (default: the simulator's own url). */
  publicUrl?: string;
  /** The MP4 served for every finished task (default: src/sandbox/assets/sample.mp4). */
  videoPath?: string;
  /**
   * jimeng_i2v_recamera_v30 without `camera_strength`: accepted as `medium` (default) or, when true,
   * rejected with 50215 (copies of the official parameter table mark the field 必选).
   */
  requireCameraStrength?: boolean;
  faults?: Partial<FaultPlan>;
  logger?: Logger;
}

export interface JimengSimulator {
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultPlan;
  readonly tasks: Map<string, SimTask>;
  readonly calls: SimCall[];
  readonly stats: SimStats;
  /** Appends one-shot faults to `faults.next`. */
  inject(...kinds: FaultKind[]): void;
  /** The next created task fails `afterMs` after its submit (default code 50500; see SimFailure). */
  failNextTaskAfter(afterMs: number, failure?: Partial<SimFailure>): void;
  /** New generation time for new and unfinished tasks. */
  setGenerationMs(ms: number): void;
  /** Limits of one account, or (no AK) the defaults every account without limits of its own uses. */
  setLimits(limits: SimLimits, accessKeyId?: string): void;
  /** Current status of a task (advances it like a poll would, without counting a poll). */
  statusOf(taskId: string): SimTaskStatus | 'not_found';
  /** Clears tasks, calls, stats, rate windows; faults, limits and generation time back to the options. */
  reset(): void;
  /** Stops listening and destroys every open socket (hung calls included). */
  close(): Promise<void>;
}
