/**
 * Jimeng (即梦) API simulator: a small real HTTP server (node:http) speaking the documented Volcengine API
 * (`POST /?Action=CVSync2AsyncSubmitTask|CVSync2AsyncGetResult&Version=2022-08-31`), for tests, the CLI,
 * benchmarks and the local sandbox. The parts live in ./jimeng-sim/; this file is the public entry.
 *
 * What it does like the real service
 * - Gateway (gateway-auth.ts): HMAC-SHA256 signature recomputed over the received method, path, query, the
 *   headers named in SignedHeaders, the raw body bytes and X-Date; compared timing-safely. Errors in the
 *   `ResponseMetadata.Error` shape: missing Authorization → 401 MissingAuthenticationToken (100003);
 *   unparsable Authorization → 401 InvalidAuthorization (100024); unknown AK → 401 InvalidAccessKey (100009);
 *   bad signature, X-Content-Sha256 ≠ sha256(body), credential scope ≠ X-Date/cn-north-1/cv → 401
 *   SignatureDoesNotMatch (100010); X-Date missing, malformed or more than 15 min from now → 401
 *   InvalidTimestamp (100006; the public table lists HTTP 400 for it, we answer 401 like other auth faults);
 *   unknown Action/Version or non-POST → 404 InvalidActionOrVersion (100008); Action/Version missing →
 *   400 MissingParameter (100002); body over 20 MB → 413.
 * - Business answers `{code, data, message, request_id, status, time_elapsed}`: 10000 Success; 50215 (HTTP 400)
 *   for every invalid body (validate-submit.ts; the reason is in the `X-Sim-Reason` response header only):
 *   unknown req_key (there is no jimeng_t2v_v30_pro), missing prompt, images not as the req_key takes them
 *   (first + last frame: two of the same ratio; camera motion: one, with template_id and camera_strength),
 *   seeds outside -1 and 0…2^31−1 (model-rules.ts).
 * - Tasks (tasks.ts) walk in_queue (first 20% of `generationMs`) → generating → done; `expired` after
 *   `taskExpiryMs`; unknown ids, and tasks of another account → code 10000 with data.status `not_found`.
 *   Get-result with a req_key other than the one the task was submitted with → 50215 (the docs say it must
 *   match).
 * - done → `data: { status: 'done', video_url: '<url>/videos/<id>.mp4?X-Expires=3600', aigc_meta_tagged, seed }`;
 *   the MP4 (a real 2 s H.264 clip, video.ts) is served there until `videoTtlMs` after the task finished
 *   (then 403).
 * - Accounts (accounts.ts): the main AK/SK, `extraCredentials`, and `accounts` with limits of their own.
 *   Limits per account: `qps` (requests per second over both actions, sliding 1 s window; only accepted
 *   calls count) → 429 code 50429; `maxConcurrentTasks` (its tasks not yet done) → 429 code 50430 on submit.
 *
 * Fault injection (`sim.faults`, mutable; `sim.inject(...kinds)` appends to `faults.next`; fault-plan.ts)
 * - `faults.next`: a queue of one-shot faults. A call takes the first entry that applies to it (a submit: the
 *   head; a get-result: the first any-action kind); a submit-only entry at the head waits, untaken, while
 *   submits are invalid (50215). One fault per call.
 *   - any action: 'qps' → 429 50429; '500' → 500 50500 "Internal Error"; 'slow' → the call is handled at once
 *     (a submit creates its task) but answered after `faults.slowMs`; 'hang' → never answered (the call is not
 *     handled, no task) until close().
 *   - submit only: 'concurrency' → 429 50430; 'risk_text' → 400 50412 "Pre Text Risk Not Pass";
 *     'risk_image' → 400 50411 "Pre Img Risk Not Pass" (consumed by the next *valid* submit);
 *     'fail' / 'risk_output' are attached to the next task created: its get-result, once done, answers
 *     code `faults.failureCode` (default 50500 "Internal Error", HTTP 200) / code 50511 "Post Img Risk Not
 *     Pass" (HTTP 400), with `data: null` (the documented shape) or, when `faults.nullDataOnFailure` is
 *     false, the old `data: { status: 'done', video_url: '' }`.
 * - `faults.failNextTasks = n`: the next n tasks fail at generation ('fail'); `faults.failEveryNth = n`: every
 *   n-th created task fails; `sim.failNextTaskAfter(ms, {code?, httpStatus?, message?})`: the next task
 *   fails `ms` after its submit (an early failure, whatever the generation time).
 * - Prompt triggers (when `faults.promptTriggers`, default on; upper case): "RISK_OUTPUT" → output risk at
 *   generation; "RISK_IMAGE" → 50411 at submit; "RISK" → 50412 at submit; "FAIL" → generation fails;
 *   "SLOW" → submit answered after slowMs.
 *
 * Records: `calls` (every answered API call: action, accessKeyId, taskId, code, httpStatus, at) and `stats`.
 */
import { SIM_MODEL_RULES } from './jimeng-sim/model-rules.js';

export {
  SIM_CAMERA_STRENGTHS,
  SIM_CAMERA_TEMPLATES,
  SIM_SEED_MAX,
  type SimModelRule,
} from './jimeng-sim/model-rules.js';
export { API_VERSION, GET_RESULT_ACTION, SUBMIT_ACTION } from './jimeng-sim/responder.js';
export { startJimengSimulator } from './jimeng-sim/start-jimeng-simulator.js';
export type {
  EarlyFailure,
  FaultKind,
  FaultPlan,
  JimengSimulator,
  JimengSimulatorOptions,
  SimAccount,
  SimCall,
  SimFailure,
  SimLimits,
  SimStats,
  SimTask,
  SimTaskOutcome,
  SimTaskStatus,
} from './jimeng-sim/types.js';

/** Known req_keys (handy for the sandbox UI). */
export const SIM_REQ_KEYS: readonly string[] = Object.keys(SIM_MODEL_RULES);

export { SIM_MODEL_RULES };
