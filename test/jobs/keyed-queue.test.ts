import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../src/jobs/keyed-queue.js';
import { gate } from '../helpers/gate.js';

describe('KeyedQueue', () => {
  it('drops work for a key that is running, unless told to follow: then it runs right after', async () => {
    const q = new KeyedQueue({ concurrency: 4, onError: (err) => expect.fail(String(err)) });
    const ran: string[] = [];
    const g = gate();
    expect(
      q.add('job_1', async () => {
        ran.push('first');
        await g.opened;
      }),
    ).toBe(true);
    expect(q.add('job_1', async () => void ran.push('dropped'))).toBe(false);
    expect(q.add('job_1', async () => void ran.push('older follower'), undefined, true)).toBe(false);
    expect(q.add('job_1', async () => void ran.push('follower'), undefined, true)).toBe(false);
    g.open();
    await q.onIdle();
    await q.onIdle(); // the follower is queued as the first one settles
    expect(ran).toEqual(['first', 'follower']);
    expect(q.has('job_1')).toBe(false);
  });

  it('a stop drops a waiting follower', async () => {
    const q = new KeyedQueue({ concurrency: 1, onError: () => {} });
    const ran: string[] = [];
    const g = gate();
    q.add('k', async () => {
      ran.push('first');
      await g.opened;
    });
    q.add('k', async () => void ran.push('follower'), undefined, true);
    const stopped = q.stop();
    g.open();
    await stopped;
    expect(ran).toEqual(['first']);
  });
});
