/** What the request handlers share: the plan, the tasks, the accounts and the responder. */
import type { Logger } from '../../log.js';
import type { Accounts } from './accounts.js';
import type { Responder } from './responder.js';
import type { TaskBook } from './tasks.js';
import type { FaultPlan } from './types.js';
import type { SubmitRules } from './validate-submit.js';

export interface SimState {
  readonly faults: FaultPlan;
  readonly book: TaskBook;
  readonly accounts: Accounts;
  readonly respond: Responder;
  readonly logger: Logger;
  /** Generation time given to new tasks (ms). */
  generationMs: number;
  /** Tasks created since the last reset (for failEveryNth). */
  createdCount: number;
  /** Base URL written into video_url. */
  videoBase(): string;
  readonly videoTtlMs: number;
  readonly submitRules: SubmitRules;
}
