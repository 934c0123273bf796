import { describe, expect, it, vi } from 'vitest';
import type { Delivery } from '../../src/lark/decode-delivery.js';
import { dispatch } from '../../src/lark/dispatch.js';
import type { ChatEvent } from '../../src/lark/events.js';
import { captureLogs, LEVEL } from '../helpers/capture-logger.js';
import { gate } from '../helpers/gate.js';

const other = (): Delivery => ({ type: 'other', eventType: 'x', reason: 'unhandled_event_type' });
const click = (): Delivery => ({
  type: 'cardAction',
  action: { eventId: 'e', operatorOpenId: 'ou', value: {}, messageId: 'om', chatId: 'oc', createTime: 0 },
});

describe('dispatch', () => {
  it('answers at an ack made before the first await, while the handler still runs', async () => {
    const g = gate();
    let finished = false;
    const answer = await dispatch(
      other(),
      async (evt) => {
        evt.ack();
        await g.opened;
        finished = true;
      },
      captureLogs().logger,
    );
    expect(answer).toEqual({});
    expect(finished).toBe(false);
    g.open();
  });

  it('answers with the body of an ack made after an await, before the handler ends', async () => {
    const g = gate();
    const answer = await dispatch(
      click(),
      async (evt) => {
        await Promise.resolve();
        if (evt.type === 'cardAction') evt.ack({ toast: { type: 'success', content: 'ok' } });
        evt.ack({ toast: { type: 'error', content: 'second ack ignored' } });
        await g.opened;
      },
      captureLogs().logger,
    );
    expect(answer).toEqual({ toast: { type: 'success', content: 'ok' } });
    g.open();
  });

  it('answers {} when the handler ends without acking', async () => {
    expect(await dispatch(other(), async () => {}, captureLogs().logger)).toEqual({});
  });

  it('rejects when the handler fails before acking, thrown at once or after an await', async () => {
    const log = captureLogs();
    const sync = (() => {
      throw new Error('sync');
    }) as unknown as (evt: ChatEvent) => Promise<void>;
    await expect(dispatch(other(), sync, log.logger)).rejects.toThrow('sync');
    await expect(
      dispatch(
        other(),
        async () => {
          await Promise.resolve();
          throw new Error('later');
        },
        log.logger,
      ),
    ).rejects.toThrow('later');
    expect(log.lines).toEqual([]);
  });

  it('logs a failure after the ack and still answers', async () => {
    const log = captureLogs();
    const g = gate();
    const answer = await dispatch(
      other(),
      async (evt) => {
        evt.ack();
        await g.opened;
        throw new Error('after the ack');
      },
      log.logger,
    );
    expect(answer).toEqual({});
    g.open();
    await vi.waitFor(() => expect(log.lines).toHaveLength(1));
    expect(log.lines).toMatchObject([
      { level: LEVEL.error, msg: 'lark: event handler failed after acknowledging', type: 'other' },
    ]);
  });
});
