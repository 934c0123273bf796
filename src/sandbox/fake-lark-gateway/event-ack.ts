import { headerMap, type LarkFrame } from './frames.js';

/**
 * The client's answer to a pushed event. WSClient 1.74 sends the last fragment's frame back
 * unchanged except for an added `biz_rt` header and the payload `{ code, data? }`: code 200, or
 * 500 when the handler threw; `data` = base64 of JSON.stringify(whatever the dispatcher's handler
 * returned), present only when that value is truthy (handleEventData, lib/index.js:102662-102711; the
 * dispatcher returns the handler's value, EventDispatcher.invoke lib/index.js:100984-101002).
 * That `data` is how a card callback's reply (toast, updated card) reaches Feishu.
 */
export interface EventAck {
  /** 200 = handled, 500 = the handler threw. */
  code: number;
  /** The handler's return value, decoded from base64 and parsed (a string if not JSON); undefined if absent. */
  data?: unknown;
  /** `data` as sent. */
  dataBase64?: string;
  headers: Record<string, string>;
  /** As sent: the SDK computes startTime - endTime, so it is ≤ 0 (lib/index.js:102710). */
  bizRt?: string;
  frame: LarkFrame;
  /** ms from pushing the first fragment to receiving the ack. */
  elapsedMs: number;
}

export function parseEventAck(frame: LarkFrame, elapsedMs: number): EventAck {
  const headers = headerMap(frame);
  const text = new TextDecoder().decode(frame.payload ?? new Uint8Array());
  let body: { code?: unknown; data?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // a malformed ack: report code NaN below
  }
  const ack: EventAck = {
    code: typeof body.code === 'number' ? body.code : Number.NaN,
    headers,
    frame,
    elapsedMs,
  };
  if (headers.biz_rt !== undefined) ack.bizRt = headers.biz_rt;
  if (typeof body.data === 'string') {
    ack.dataBase64 = body.data;
    const decoded = Buffer.from(body.data, 'base64').toString('utf8');
    try {
      ack.data = JSON.parse(decoded);
    } catch {
      ack.data = decoded;
    }
  }
  return ack;
}
