import { describe, expect, it } from 'vitest';
import { AccountPool, type PoolMember } from '../../src/jimeng/account-pool.js';
import { JimengClient } from '../../src/jimeng/client.js';
import { JimengError } from '../../src/jimeng/errors.js';
import { fromGatewayError } from '../../src/jimeng/gateway-error.js';
import { fromServiceCode } from '../../src/jimeng/service-codes.js';
import { captureLogs, LEVEL } from '../helpers/capture-logger.js';

const SECRET = 'pool-secret-never-logged';
const T2V = 'jimeng_t2v_v30';
const P1080 = 'jimeng_t2v_v30_1080p';

function member(
  name: string,
  maxConcurrent = 2,
  models?: string[],
  fetch?: typeof globalThis.fetch,
): PoolMember {
  return {
    name,
    maxConcurrent,
    ...(models ? { models } : {}),
    client: new JimengClient({
      accessKeyId: `AK${name}`,
      secretAccessKey: SECRET,
      endpoint: 'http://127.0.0.1:9',
      retries: 0,
      ...(fetch ? { fetch } : {}),
    }),
  };
}

function pool(members: PoolMember[], extra: { busyCooldownMs?: number; refusedRetryMs?: number } = {}) {
  let t = 1_000_000;
  const logs = captureLogs();
  const p = new AccountPool({ accounts: members, now: () => t, logger: logs.logger, ...extra });
  return { p, logs, advance: (ms: number) => (t += ms) };
}

const auth = () =>
  fromGatewayError({ Code: 'InvalidAccessKey', CodeN: 100009, Message: 'bad' }, { httpStatus: 401 });
const denied = () => fromServiceCode(50400, 'Access Denied', { httpStatus: 403 });
const busy = () => fromServiceCode(50430, 'too many', { httpStatus: 429 });

describe('AccountPool', () => {
  it('hands out every account with its configured slots and models', () => {
    const { p } = pool([member('a', 2), member('b', 1, [T2V])]);
    expect(p.usable()).toEqual([
      { name: 'a', slots: 2 },
      { name: 'b', slots: 1, models: [T2V] },
    ]);
    expect(p.unrunnable().size).toBe(0);
  });

  it('50430 halves the slots (never below 1) for a while, then restores them', () => {
    const { p, logs, advance } = pool([member('a', 4)], { busyCooldownMs: 60_000 });
    p.report('a', T2V, { error: busy() });
    expect(p.usable()[0]!.slots).toBe(2);
    p.report('a', T2V, { error: busy() });
    p.report('a', T2V, { error: busy() });
    expect(p.usable()[0]!.slots).toBe(1);
    expect(logs.lines.filter((l) => l.level === LEVEL.warn)).toHaveLength(1); // said once
    advance(59_000);
    expect(p.usable()[0]!.slots).toBe(1);
    advance(1_000);
    expect(p.usable()[0]!.slots).toBe(4);
    expect(p.status()[0]).toMatchObject({ up: true, slots: 4, maxConcurrent: 4 });
  });

  it('refused credentials take the account out of rotation, logged once by name, never the secret', () => {
    const { p, logs } = pool([member('a'), member('b')]);
    p.report('a', T2V, { error: auth() });
    p.report('a', T2V, { error: auth() });
    expect(p.usable()).toEqual([
      { name: 'a', slots: 0, models: [] },
      { name: 'b', slots: 2 },
    ]);
    expect(p.unrunnable().size).toBe(0); // b runs everything
    const errors = logs.lines.filter((l) => l.level === LEVEL.error);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toContain('Jimeng account a refused the credentials (AUTH InvalidAccessKey)');
    expect(logs.raw.join('\n')).not.toContain(SECRET);
    expect(p.status()[0]).toMatchObject({ name: 'a', up: false, slots: 0, refused: { code: 'AUTH' } });
  });

  it('when no account is left for a model, it is unrunnable with the refusal code', () => {
    const { p } = pool([member('a'), member('b', 2, [T2V])]);
    p.report('a', T2V, { error: auth() });
    const blocked = p.unrunnable();
    expect(blocked.get(T2V)).toBeUndefined(); // b
    expect(blocked.get(P1080)).toBe('ACCESS_DENIED'); // b does not list it
    const alone = pool([member('solo')]).p;
    alone.report('solo', T2V, { error: new JimengError({ ...auth(), code: 'SIGNATURE', message: 'sig' }) });
    expect(alone.unrunnable().get(T2V)).toBe('SIGNATURE');
  });

  it('50400 takes the account out for that model only', () => {
    const { p } = pool([member('a'), member('b')]);
    p.report('a', P1080, { error: denied() });
    const a = p.usable()[0]!;
    expect(a.slots).toBe(2);
    expect(a.models).toContain(T2V);
    expect(a.models).not.toContain(P1080);
    expect(p.unrunnable().size).toBe(0);
    p.report('b', P1080, { error: denied() });
    expect([...p.unrunnable()]).toEqual([[P1080, 'ACCESS_DENIED']]);
    expect(p.status()[0]).toMatchObject({ up: true, deniedModels: { [P1080]: { code: 'ACCESS_DENIED' } } });
  });

  it('a refused account gets another try after a while; a call that works brings it back', () => {
    const { p, logs, advance } = pool([member('a'), member('b')], { refusedRetryMs: 10_000 });
    p.report('a', T2V, { error: auth() });
    advance(10_000);
    expect(p.usable()[0]!.slots).toBe(2); // on trial
    p.report('a', T2V, { error: auth() }); // still refused: out again, not logged as an error twice
    expect(p.usable()[0]!.slots).toBe(0);
    expect(logs.lines.filter((l) => l.level === LEVEL.error)).toHaveLength(1);
    p.report('a', T2V, { ok: true });
    expect(p.usable()[0]!.slots).toBe(2);
    expect(logs.lines.some((l) => l.msg === 'Jimeng account a works again')).toBe(true);
  });

  it('a job persisted with a name no account has (before the pool, or renamed) uses the first account', () => {
    const { p, logs } = pool([member('a'), member('b')]);
    expect(p.client('default')).toBe(p.client('a'));
    expect(p.client(undefined)).toBe(p.client('a'));
    expect(p.client('b')).not.toBe(p.client('a'));
    expect(
      logs.lines.filter((l) => String(l.msg).includes('no Jimeng account is named default')),
    ).toHaveLength(1);
  });

  it('observes the calls themselves: a submit refused at the gateway takes its account out', async () => {
    const refusing = (async () =>
      new Response(
        JSON.stringify({
          ResponseMetadata: { Error: { Code: 'InvalidAccessKey', CodeN: 100009, Message: 'no' } },
        }),
        { status: 401 },
      )) as typeof fetch;
    const { p } = pool([member('a', 2, undefined, refusing), member('b')]);
    await expect(p.client('a').submit({ model: '720p', prompt: '猫' })).rejects.toMatchObject({
      code: 'AUTH',
    });
    expect(p.usable()[0]!.slots).toBe(0);
    await expect(p.client('a').getResult('7000000000000000001', T2V)).rejects.toMatchObject({ code: 'AUTH' });
    expect(p.status()[0]!.up).toBe(false);
  });
});
