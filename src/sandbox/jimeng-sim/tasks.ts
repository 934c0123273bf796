/**
 * Tasks and their walk: in_queue (first 20% of the generation time) → generating → done, and `expired`
 * once older than the expiry. A task with `failAfterMs` is done (failed) that long after its submit.
 * A task with `failAfterMs` is done (failed) that long after its submit, whatever its generation time.
 * A task belongs to the account that submitted it: other accounts cannot see it.
 */
import { randomInt } from 'node:crypto';
import type { SimTask, SimTaskStatus } from './types.js';

export interface TaskBook {
  readonly tasks: Map<string, SimTask>;
  /** A fresh 19-digit task id. */
  newId(): string;
  add(task: SimTask): void;
  /** The task, if it exists and belongs to `accessKeyId` (any account when omitted). */
  find(taskId: string, accessKeyId?: string): SimTask | undefined;
  statusOf(task: SimTask, now?: number): SimTaskStatus;
  /** Tasks of one account still in_queue or generating. */
  unfinished(accessKeyId: string, now?: number): number;
  /** New generation time for unfinished tasks. */
  setGenerationMs(ms: number): void;
}

export function createTaskBook(opts: { taskExpiryMs: number }): TaskBook {
  const tasks = new Map<string, SimTask>();

  const statusOf = (task: SimTask, now = Date.now()): SimTaskStatus => {
    const elapsed = now - task.createdAt;
    if (elapsed > opts.taskExpiryMs) return 'expired';
    if (task.doneAt !== undefined) return 'done';
    const doneAfter = task.failAfterMs ?? task.generationMs;
    if (elapsed >= doneAfter) {
      task.doneAt = task.createdAt + doneAfter;
      return 'done';
    }
    return elapsed < task.generationMs * 0.2 ? 'in_queue' : 'generating';
  };

  return {
    tasks,
    newId() {
      for (;;) {
        let id = '7';
        for (let i = 0; i < 18; i++) id += String(randomInt(10));
        if (!tasks.has(id)) return id;
      }
    },
    add(task) {
      tasks.set(task.id, task);
    },
    find(taskId, accessKeyId) {
      const t = tasks.get(taskId);
      return t && (accessKeyId === undefined || t.accessKeyId === accessKeyId) ? t : undefined;
    },
    statusOf,
    unfinished(accessKeyId, now = Date.now()) {
      let n = 0;
      for (const t of tasks.values()) {
        if (t.accessKeyId !== accessKeyId) continue;
        const s = statusOf(t, now);
        if (s === 'in_queue' || s === 'generating') n++;
      }
      return n;
    },
    setGenerationMs(ms) {
      const now = Date.now();
      for (const t of tasks.values()) if (statusOf(t, now) !== 'done') t.generationMs = ms;
    },
  };
}
