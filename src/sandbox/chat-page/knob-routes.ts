/** `POST /sandbox/knobs`: the simulator's generation time and one-shot faults, set from the page. */
import type Router from '@koa/router';
import type { FaultKind } from '../jimeng-simulator.js';
import { answer, BadRequest } from './bad-request.js';
import { readJsonRequest } from './read-json-request.js';
import type { ChatPageSandbox, KnobsView } from './types.js';

const SIM_FAULTS: readonly FaultKind[] = [
  'qps',
  'concurrency',
  'risk_text',
  'risk_image',
  'risk_output',
  'fail',
  '500',
  'slow',
  'hang',
];
const FAULTS = new Set<string>([...SIM_FAULTS, 'fail_next']);
const MAX_GENERATION_MS = 10 * 60_000;

export interface KnobState {
  generationMs: number;
  knobs(): KnobsView;
  broadcast(knobs: KnobsView): void;
}

export function addKnobRoutes(router: Router, sandbox: ChatPageSandbox, state: KnobState): void {
  const { jimeng } = sandbox;
  router.post('/sandbox/knobs', async (ctx) => {
    await answer(ctx, async () => {
      const body = await readJsonRequest(ctx.req);
      const { fault } = body;
      const ms = body.generationMs;
      if (
        ms !== undefined &&
        (!Number.isInteger(ms) || (ms as number) < 0 || (ms as number) > MAX_GENERATION_MS)
      )
        throw new BadRequest(
          400,
          'BAD_GENERATION_MS',
          `generationMs 必须是 0–${MAX_GENERATION_MS} 的整数（毫秒）`,
        );
      if (fault !== undefined && (typeof fault !== 'string' || !FAULTS.has(fault)))
        throw new BadRequest(400, 'BAD_FAULT', `fault 必须是以下之一：${[...FAULTS].join(', ')}`);
      if (body.clearFaults !== undefined && typeof body.clearFaults !== 'boolean')
        throw new BadRequest(400, 'BAD_CLEAR', 'clearFaults 必须是布尔值');
      if (typeof ms === 'number') {
        state.generationMs = ms;
        jimeng.setGenerationMs(ms);
      }
      if (body.clearFaults === true) {
        jimeng.faults.next.length = 0;
        jimeng.faults.failNextTasks = 0;
      }
      if (fault === 'fail_next') jimeng.faults.failNextTasks += 1;
      else if (typeof fault === 'string') jimeng.inject(fault as FaultKind);
      const k = state.knobs();
      state.broadcast(k);
      return k;
    });
  });
}
