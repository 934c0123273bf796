import type { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../src/cli.js';
import { JimengClient, type JimengClientOptions } from '../../src/jimeng/client.js';
import { isJimengError, JimengError } from '../../src/jimeng/errors.js';
import { mayHaveArrived, transportError } from '../../src/jimeng/transport-error.js';
import { type JimengSimulator, startJimengSimulator } from '../../src/sandbox/jimeng-simulator.js';

const AK = 'AKLTsubmitretry';
const SK = 'c3VibWl0LXJldHJ5';
const HOST = 'https://visual.volcengineapi.com';
const SUBMIT = { Action: 'CVSync2AsyncSubmitTask', Version: '2022-08-31' };
const instant = async () => {};

const client = (extra: Partial<JimengClientOptions> = {}) =>
  new JimengClient({
    accessKeyId: AK,
    secretAccessKey: SK,
    sleep: instant,
    retryBaseMs: 1,
    qps: 1e6,
    ...extra,
  });

async function caught(p: Promise<unknown>): Promise<JimengError> {
  try {
    await p;
  } catch (err) {
    if (isJimengError(err)) return err;
    throw err;
  }
  throw new Error('expected a JimengError');
}

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port that was just free: nothing listens there. */
async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function cli(argv: string[], endpoint: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: { VOLC_ACCESSKEY: AK, VOLC_SECRETKEY: SK, JIMENG_ENDPOINT: endpoint, JIMENG_QPS: '1000' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    clientOptions: { retryBaseMs: 1, sleep: instant },
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

let sim: JimengSimulator;
beforeAll(async () => {
  sim = await startJimengSimulator({ port: 0, accessKeyId: AK, secretAccessKey: SK, generationMs: 300 });
});
afterAll(() => sim.close());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  sim.reset();
});

describe('a submit that never reached the service is not "maybe created"', () => {
  it.each([
    ['a closed local port', async () => `http://127.0.0.1:${await closedPort()}`],
    ['port 1 (fetch refuses it: "bad port")', async () => 'http://127.0.0.1:1'],
    ['an unknown host', async () => 'http://jimeng-does-not-exist.invalid'],
  ])('jimeng t2v against %s: cannot connect, nothing created', async (_name, endpoint) => {
    const r = await cli(['t2v', '橘猫', '--json'], await endpoint());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[NETWORK]');
    expect(r.stderr).toContain('连不上');
    expect(r.stderr).not.toContain('可能已经创建');
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'NETWORK',
      maybeCreated: false,
      retryable: true,
    });
  });

  it('TLS that fails before the request is written (https to a plain-HTTP port) is retried, nothing created', async () => {
    const url = new URL(sim.url);
    const e = await caught(
      client({ endpoint: `https://${url.host}`, retries: 2 }).submit({ model: '720p', prompt: 'x' }),
    );
    expect(e).toMatchObject({ code: 'NETWORK', maybeCreated: false, retryable: true });
    expect(sim.tasks.size).toBe(0);
  });
});

describe('a submit that may have reached the service is never retried', () => {
  it('a reset after the request was written: maybeCreated, sent once', async () => {
    let requests = 0;
    const server = createServer((socket) =>
      socket.once('data', () => {
        requests++;
        socket.resetAndDestroy();
      }),
    );
    const port = await listen(server);
    try {
      const e = await caught(
        client({ endpoint: `http://127.0.0.1:${port}` }).submit({ model: '720p', prompt: 'x' }),
      );
      expect(e).toMatchObject({ code: 'NETWORK', maybeCreated: true, retryable: false });
      expect(requests).toBe(1);
    } finally {
      server.close();
    }
  });

  it('the service closing the socket after reading the request: maybeCreated', async () => {
    let requests = 0;
    const server = createServer((socket) =>
      socket.once('data', () => {
        requests++;
        socket.end();
      }),
    );
    const port = await listen(server);
    try {
      const e = await caught(
        client({ endpoint: `http://127.0.0.1:${port}` }).submit({ model: '720p', prompt: 'x' }),
      );
      expect(e).toMatchObject({ code: 'NETWORK', maybeCreated: true });
      expect(requests).toBe(1);
    } finally {
      server.close();
    }
  });

  it.each([
    ['HTTP 200 that is not JSON', 200, '<html>ok</html>', 'BAD_RESPONSE'],
    [
      'HTTP 200 code 10000 without task_id',
      200,
      { code: 10000, data: {}, message: 'Success' },
      'BAD_RESPONSE',
    ],
    ['HTTP 502 page', 502, '<html>bad gateway</html>', 'BAD_RESPONSE'],
    ['HTTP 504 page', 504, '<html>gateway timeout</html>', 'BAD_RESPONSE'],
  ])('%s: maybeCreated, not retried', async (_name, status, body, code) => {
    nock.disableNetConnect();
    const first = nock(HOST)
      .post('/')
      .query(SUBMIT)
      .reply(status, typeof body === 'string' ? body : JSON.stringify(body));
    const second = nock(HOST)
      .post('/')
      .query(SUBMIT)
      .reply(200, { code: 10000, data: { task_id: 'dup' } });
    const e = await caught(client().submit({ model: '720p', prompt: 'x' }));
    expect(e).toMatchObject({ code, maybeCreated: true, retryable: false });
    expect(first.isDone()).toBe(true);
    expect(second.isDone()).toBe(false);
  });
});

describe('a parsed business error created nothing ("code != 10000 never returns a task_id")', () => {
  it.each([
    [500, 50500, 'Internal Error'],
    [500, 50501, 'Internal RPC Error'],
    [429, 50429, 'Request Has Reached API Limit'],
    [429, 50430, 'Request Has Reached API Concurrent Limit'],
  ])('HTTP %i code %i is retried within the budget and then succeeds', async (status, code, message) => {
    nock.disableNetConnect();
    nock(HOST).post('/').query(SUBMIT).reply(status, { code, data: null, message, request_id: 'rq' });
    const ok = nock(HOST)
      .post('/')
      .query(SUBMIT)
      .reply(200, { code: 10000, data: { task_id: 't-ok' }, message: 'Success' });
    expect((await client().submit({ model: '720p', prompt: 'x' })).taskId).toBe('t-ok');
    expect(ok.isDone()).toBe(true);
  });

  it('50500 every time: gives up after the retries, retryable, not maybeCreated', async () => {
    nock.disableNetConnect();
    const scope = nock(HOST)
      .post('/')
      .query(SUBMIT)
      .times(3)
      .reply(500, { code: 50500, data: null, message: 'x' });
    const e = await caught(client({ retries: 2 }).submit({ model: '720p', prompt: 'x' }));
    expect(e).toMatchObject({ code: 'INTERNAL', maybeCreated: false, retryable: true });
    expect(scope.isDone()).toBe(true);
  });

  it('against the simulator: an injected 500 is retried and makes exactly one task', async () => {
    sim.inject('500');
    const s = await client({ endpoint: sim.url }).submit({ model: '720p', prompt: 'x' });
    expect(sim.tasks.size).toBe(1);
    expect(sim.tasks.has(s.taskId)).toBe(true);
  });
});

describe('transport error classification (how undici nests codes)', () => {
  const fetchFailed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });
  const errno = (code: string, syscall: string) =>
    Object.assign(new Error(`${syscall} ${code}`), { code, syscall });
  const classify = (err: unknown) => transportError({ action: 'Submit', err, timedOut: false, timeoutMs: 1 });

  it.each<[string, boolean, unknown]>([
    ['ECONNREFUSED in cause', false, fetchFailed(errno('ECONNREFUSED', 'connect'))],
    [
      'happy eyeballs: AggregateError of refused attempts',
      false,
      fetchFailed(
        Object.assign(new AggregateError([errno('ECONNREFUSED', 'connect'), errno('ETIMEDOUT', 'connect')]), {
          code: 'ECONNREFUSED',
        }),
      ),
    ],
    ['DNS ENOTFOUND', false, fetchFailed(errno('ENOTFOUND', 'getaddrinfo'))],
    ['DNS EAI_AGAIN', false, fetchFailed(errno('EAI_AGAIN', 'getaddrinfo'))],
    [
      'undici connect timeout',
      false,
      fetchFailed(Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' })),
    ],
    [
      'TLS certificate',
      false,
      fetchFailed(Object.assign(new Error('cert'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })),
    ],
    [
      'TLS host name',
      false,
      fetchFailed(Object.assign(new Error('altname'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' })),
    ],
    [
      'TLS wrong version',
      false,
      fetchFailed(Object.assign(new Error('ssl'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' })),
    ],
    ['fetch "bad port"', false, fetchFailed(new Error('bad port'))],
    [
      'socket closed with 0 bytes written',
      false,
      fetchFailed(
        Object.assign(new Error('other side closed'), {
          code: 'UND_ERR_SOCKET',
          socket: { bytesWritten: 0 },
        }),
      ),
    ],
    [
      'socket closed after writing',
      true,
      fetchFailed(
        Object.assign(new Error('other side closed'), {
          code: 'UND_ERR_SOCKET',
          socket: { bytesWritten: 233 },
        }),
      ),
    ],
    ['ECONNRESET on read', true, fetchFailed(errno('ECONNRESET', 'read'))],
    ['ETIMEDOUT on an open connection', true, fetchFailed(errno('ETIMEDOUT', 'read'))],
    ['something unknown', true, fetchFailed(new Error('weird'))],
  ])('%s → may have arrived: %s', (_name, arrived, err) => {
    const e = classify(err);
    expect(e).toBeInstanceOf(JimengError);
    expect(e.code).toBe('NETWORK');
    expect(mayHaveArrived(e)).toBe(arrived);
  });
});
