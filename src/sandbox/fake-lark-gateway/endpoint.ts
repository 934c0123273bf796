/**
 * POST /callback/ws/endpoint, the call WSClient makes before every (re)connect
 * (pullConnectConfig, @larksuiteoapi/node-sdk 1.74.0 lib/index.js:102308-102380):
 * request body `{ AppID, AppSecret }` (headers `locale: zh`, User-Agent), answer read as
 * `{ code, data: { URL, ClientConfig }, msg }` (lib/index.js:102339). code 0 → connect to URL;
 * code 1000040343 (ErrorCode.internal_error) → retry; any other code → onError, no retry
 * (lib/index.js:102346-102357). An HTTP error or an answer without `data` throws inside the
 * destructuring and counts as retryable (lib/index.js:102371-102378).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { LarkClientConfig } from './frames.js';

/** ErrorCode, lib/index.js:102101-102109. */
export const EndpointCode = {
  ok: 0,
  systemBusy: 1,
  forbidden: 403,
  authFailed: 514,
  internalError: 1000040343,
  exceedConnLimit: 1000040350,
} as const;

export type EndpointOutcome = 'ok' | 'auth-failed' | 'refused' | 'bad-request';

export interface EndpointCall {
  at: number;
  /** The parsed request body (AppSecret included: it is the test's own fake secret). */
  body: unknown;
  locale?: string;
  userAgent?: string;
  outcome: EndpointOutcome;
}

/** A connect URL handed out by a successful call; the WebSocket upgrade must present its ticket. */
export interface IssuedTicket {
  ticket: string;
  deviceId: string;
  serviceId: number;
  url: string;
}

export interface EndpointAnswer {
  status: number;
  body: unknown;
  outcome: EndpointOutcome;
  issued?: IssuedTicket;
}

export interface AnswerEndpointInput {
  appId: string;
  appSecret: string;
  /** Raw request body text. */
  rawBody: string;
  /** `ws://host:port` of the gateway. */
  wsOrigin: string;
  serviceId: number;
  clientConfig: LarkClientConfig;
  /** refuseConnections({ at: 'endpoint' }) is in effect. */
  refuse: boolean;
  /** Answer to wrong credentials; default `{ code: 514, msg }`. */
  authFailure: { code: number; msg: string };
}

/**
 * Error answers keep the `data: { URL: '', ClientConfig: {} }` the SDK's own tests feed it
 * (larksuite/node-sdk ws-client/__tests__/reconnect.ts, makeFailResp): without `data` 1.74 would
 * throw on the destructuring and retry forever instead of reporting the code.
 */
function failure(code: number, msg: string): object {
  return { code, msg, data: { URL: '', ClientConfig: {} } };
}

export function answerEndpoint(input: AnswerEndpointInput): EndpointAnswer {
  let body: unknown;
  try {
    body = JSON.parse(input.rawBody);
  } catch {
    return { status: 400, body: { code: 400, msg: 'invalid request body' }, outcome: 'bad-request' };
  }
  const { AppID, AppSecret } = (body ?? {}) as { AppID?: unknown; AppSecret?: unknown };
  if (typeof AppID !== 'string' || !AppID) {
    return { status: 400, body: { code: 400, msg: 'AppID is required' }, outcome: 'bad-request' };
  }
  if (AppID !== input.appId || AppSecret !== input.appSecret) {
    return {
      status: 200,
      body: failure(input.authFailure.code, input.authFailure.msg),
      outcome: 'auth-failed',
    };
  }
  if (input.refuse) {
    return { status: 200, body: failure(EndpointCode.internalError, 'system busy'), outcome: 'refused' };
  }
  const issued = issueTicket(input.wsOrigin, input.serviceId);
  return {
    status: 200,
    body: { code: EndpointCode.ok, msg: 'ok', data: { URL: issued.url, ClientConfig: input.clientConfig } },
    outcome: 'ok',
    issued,
  };
}

/**
 * Feishu's URL shape: `wss://msg-frontier.feishu.cn/ws/v2?fpid=..&aid=..&device_id=..&access_key=..&service_id=..&ticket=..`.
 * Order matters: the SDK runs `qs.parse` over the whole URL (lib/index.js:102358), so whatever
 * key comes first is swallowed into `ws://…?fpid`; `service_id` must not be first, it becomes
 * the `service` of every ping (lib/index.js:102578-102594).
 */
function issueTicket(wsOrigin: string, serviceId: number): IssuedTicket {
  const deviceId = String(randomInt(1e9, 1e10));
  const ticket = randomBytes(16).toString('hex');
  const query = new URLSearchParams({
    fpid: '493',
    aid: '552564',
    device_id: deviceId,
    access_key: randomBytes(16).toString('hex'),
    service_id: String(serviceId),
    ticket,
  });
  return { ticket, deviceId, serviceId, url: `${wsOrigin}/ws/v2?${query.toString()}` };
}
