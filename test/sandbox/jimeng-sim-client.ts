/** Signed calls to the Jimeng simulator and small request builders, shared by the simulator tests. */
import { expect } from 'vitest';
import { sign } from '../../src/jimeng/sign.js';
import {
  GET_RESULT_ACTION,
  type JimengSimulator,
  SUBMIT_ACTION,
} from '../../src/sandbox/jimeng-simulator.js';

export const AK = 'AKTESTSIM';
export const SK = 'SKTESTSIM==';

export interface CallOpts {
  ak?: string;
  sk?: string;
  date?: Date;
  /** Body actually sent (the signature covers `body`). */
  sendBody?: string;
  headers?: Record<string, string>;
  signHeaders?: Record<string, string>;
  action?: string;
  version?: string;
  noAuth?: boolean;
  mutateAuth?: (auth: string) => string;
  signal?: AbortSignal;
}

export interface Answer {
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
}

export async function call(
  sim: JimengSimulator,
  action: string,
  body: unknown,
  o: CallOpts = {},
): Promise<Answer> {
  const url = new URL(sim.url);
  const query = { Action: o.action ?? action, Version: o.version ?? '2022-08-31' };
  const text = JSON.stringify(body);
  const signed = sign({
    method: 'POST',
    host: url.host,
    query,
    body: text,
    accessKeyId: o.ak ?? AK,
    secretAccessKey: o.sk ?? SK,
    date: o.date ?? new Date(),
    headers: o.signHeaders ?? {},
  });
  const { Host: _host, ...headers } = signed;
  if (o.mutateAuth) headers.Authorization = o.mutateAuth(headers.Authorization);
  if (o.noAuth) delete (headers as Record<string, string>).Authorization;
  const res = await fetch(`${sim.url}/?Action=${query.Action}&Version=${query.Version}`, {
    method: 'POST',
    headers: lower({ 'content-type': 'application/json', ...headers, ...o.headers }),
    body: o.sendBody ?? text,
    signal: o.signal ?? null,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** Header names lower-cased, later entries winning (fetch would join duplicates). */
export const lower = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v] as const));

export const submit = (sim: JimengSimulator, body: unknown, o?: CallOpts) =>
  call(sim, SUBMIT_ACTION, body, o);
export const poll = (sim: JimengSimulator, taskId: string, reqKey = 'jimeng_t2v_v30', o?: CallOpts) =>
  call(sim, GET_RESULT_ACTION, { req_key: reqKey, task_id: taskId }, o);

export const t2v = (extra: Record<string, unknown> = {}) => ({
  req_key: 'jimeng_t2v_v30',
  prompt: '千军万马',
  seed: -1,
  frames: 121,
  aspect_ratio: '16:9',
  ...extra,
});

/** A PNG header (signature + IHDR) with the given size: enough for the service's format/size checks. */
export function png(width = 640, height = 360): string {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  b[24] = 8;
  b[25] = 2;
  return b.toString('base64');
}

/** A JPEG header: SOI, an APP0 segment, then SOF0 with the size. */
export function jpeg(width = 800, height = 600): string {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.alloc(19);
  sof.set([0xff, 0xc0, 0x00, 0x11, 0x08]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]).toString('base64');
}

export function expectGatewayError(a: Answer, status: number, code: string) {
  expect(a.status).toBe(status);
  const meta = a.json.ResponseMetadata as Record<string, unknown>;
  expect(meta).toMatchObject({ Version: '2022-08-31', Service: 'cv', Region: 'cn-north-1' });
  expect(typeof meta.RequestId).toBe('string');
  expect((meta.Error as Record<string, unknown>).Code).toBe(code);
  expect(typeof (meta.Error as Record<string, unknown>).CodeN).toBe('number');
}

export function expectBiz(a: Answer, status: number, code: number) {
  expect(a.status).toBe(status);
  expect(a.json.code).toBe(code);
  expect(a.json.status).toBe(code);
  expect(typeof a.json.request_id).toBe('string');
  expect(a.json.time_elapsed).toMatch(/^\d+(\.\d+)?ms$/);
}

export async function pollUntilDone(
  sim: JimengSimulator,
  taskId: string,
  reqKey?: string,
): Promise<Answer[]> {
  const seen: Answer[] = [];
  for (let i = 0; i < 400; i++) {
    const a = await poll(sim, taskId, reqKey);
    seen.push(a);
    const data = a.json.data as { status?: string } | null;
    if (data === null || data.status === 'done' || data.status === 'expired' || data.status === 'not_found') {
      return seen;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('task never finished');
}

export const taskOf = (a: Answer) => (a.json.data as { task_id: string }).task_id;
