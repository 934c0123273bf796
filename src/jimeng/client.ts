/** Volcengine Jimeng (即梦) video API client: submit, poll, wait, check credentials. One account per client. */
import { type AccountCheck, type CheckOptions, checkAccount, maskAccessKey } from './check.js';
import {
  type CallOptions,
  type ClientContext,
  createContext,
  type JimengClientOptions,
} from './client-options.js';
import { downloadVideo } from './download.js';
import { getTaskResult } from './get-result.js';
import type { ModelCatalog, ModelInfo } from './model-catalog.js';
import type { TaskResult } from './parse-result.js';
import type { RateBudget } from './rate-budget.js';
import { type SubmitResult, submitTask } from './submit.js';
import { type ValidatedRequest, type VideoRequest, validateRequest } from './validate.js';
import { type WaitOptions, type WaitResult, waitForTask } from './wait.js';

export type { AccountCheck, AccountVerdict, CheckOptions, ModelAccess, ModelProbe } from './check.js';
export {
  API_VERSION,
  type CallOptions,
  DEFAULT_ENDPOINT,
  type FetchLike,
  type JimengClientOptions,
  type PollOptions,
} from './client-options.js';
export type { TaskResult, TaskStatus } from './parse-result.js';
export type { SubmitAnswer } from './parse-submit.js';
export type { SubmitResult } from './submit.js';
export type {
  CameraMotion,
  ImageInput,
  SubmitBody,
  ValidatedRequest,
  VideoRequest,
} from './video-request.js';
export type { WaitOptions, WaitProgress, WaitResult } from './wait.js';

export interface GenerateResult extends SubmitResult {
  result: WaitResult;
}

export class JimengClient {
  readonly budget: RateBudget;
  readonly endpoint: string;
  /** A label for tables and logs: `accountLabel`, or the masked access key. */
  readonly account: string;
  /** Models and prices this client validates and prices with. */
  readonly catalog: ModelCatalog;
  private readonly ctx: ClientContext;

  constructor(opts: JimengClientOptions) {
    this.ctx = createContext(opts);
    this.budget = this.ctx.budget;
    this.endpoint = this.ctx.endpoint;
    this.catalog = this.ctx.catalog;
    this.account = opts.accountLabel ?? maskAccessKey(opts.accessKeyId);
  }

  listModels(): ModelInfo[] {
    return this.catalog.list();
  }

  /** Checks a request and builds the body; throws a JimengError. No network. */
  validate(req: VideoRequest): ValidatedRequest {
    return validateRequest(req, this.catalog);
  }

  /** See submit.ts. Does not take a task slot: use `budget.withTask()` around submit+wait, or `generate()`. */
  submit(req: VideoRequest, opts: CallOptions = {}): Promise<SubmitResult> {
    return submitTask(this.ctx, req, opts);
  }

  /** One poll. `reqKey` must be the key the task was submitted with. See get-result.ts. */
  getResult(taskId: string, reqKey: string, opts: CallOptions = {}): Promise<TaskResult> {
    return getTaskResult(this.ctx, taskId, reqKey, opts);
  }

  /** Polls until the task is finished. See wait.ts. */
  wait(taskId: string, reqKey: string, opts: WaitOptions = {}): Promise<WaitResult> {
    return waitForTask(this.ctx, taskId, reqKey, opts);
  }

  /** Takes a task slot, submits, waits, releases the slot. */
  async generate(
    req: VideoRequest,
    opts: WaitOptions & { onSubmitted?: (s: SubmitResult) => void } = {},
  ): Promise<GenerateResult> {
    validateRequest(req, this.catalog); // fail fast, before waiting for a slot
    return this.budget.withTask(async () => {
      const submitted = await this.submit(req, opts);
      opts.onSubmitted?.(submitted);
      const result = await this.wait(submitted.taskId, submitted.reqKey, opts);
      return { ...submitted, result };
    }, opts.signal);
  }

  /** Credentials, connectivity and the models this account may use (one call per model). See check.ts. */
  checkAccount(opts: CheckOptions = {}): Promise<AccountCheck> {
    return checkAccount(this.ctx, this.account, opts);
  }

  /** Credentials and connectivity only: one call, for the default model. */
  testConnection(opts: CheckOptions = {}): Promise<AccountCheck> {
    return checkAccount(this.ctx, this.account, { ...opts, all: false });
  }

  /** Downloads a finished video (the URL is valid for about an hour). */
  download(url: string, opts: CallOptions = {}): Promise<Uint8Array> {
    return downloadVideo(this.ctx, url, opts);
  }
}
