/**
 * The long connection's wire format: protobuf `pbbp2.Frame` (proto2), as compiled into
 * @larksuiteoapi/node-sdk 1.74.0 lib/index.js:101282-101957 (Header: key=1, value=2, both required;
 * Frame: SeqID=1 uint64, LogID=2 uint64, service=3 int32, method=4 int32 (all required),
 * headers=5 repeated Header, payloadEncoding=6, payloadType=7, payload=8 bytes, LogIDNew=9).
 * Built here from a JSON descriptor with protobufjs reflection rather than copied generated code.
 */
import protobuf from 'protobufjs';

export interface LarkFrameHeader {
  key: string;
  value: string;
}

export interface LarkFrame {
  SeqID: number;
  LogID: number;
  service: number;
  /** 0 = control (ping/pong), 1 = data (event/card and their acks). */
  method: number;
  headers: LarkFrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

/** FrameType, lib/index.js:102110-102114. */
export const FrameMethod = { control: 0, data: 1 } as const;

/** MessageType, lib/index.js:102127-102133. */
export type LarkMessageType = 'event' | 'card' | 'ping' | 'pong';

/** The server-pushed client settings, in seconds (the SDK multiplies by 1000, lib/index.js:102359-102366). */
export interface LarkClientConfig {
  /** Reconnect attempts before giving up; -1 = forever. */
  ReconnectCount: number;
  ReconnectInterval: number;
  /** Upper bound of the random delay before the first reconnect attempt. */
  ReconnectNonce: number;
  PingInterval: number;
}

/** The SDK's own defaults (WSConfig, lib/index.js:101970-101979), used when a test sets none. */
export const FEISHU_CLIENT_CONFIG: LarkClientConfig = {
  ReconnectCount: -1,
  ReconnectInterval: 120,
  ReconnectNonce: 30,
  PingInterval: 120,
};

const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: {
          fields: {
            key: { rule: 'required', type: 'string', id: 1 },
            value: { rule: 'required', type: 'string', id: 2 },
          },
        },
        Frame: {
          fields: {
            SeqID: { rule: 'required', type: 'uint64', id: 1 },
            LogID: { rule: 'required', type: 'uint64', id: 2 },
            service: { rule: 'required', type: 'int32', id: 3 },
            method: { rule: 'required', type: 'int32', id: 4 },
            headers: { rule: 'repeated', type: 'Header', id: 5 },
            payloadEncoding: { type: 'string', id: 6 },
            payloadType: { type: 'string', id: 7 },
            payload: { type: 'bytes', id: 8 },
            LogIDNew: { type: 'string', id: 9 },
          },
        },
      },
    },
  },
});
const FrameType = root.lookupType('pbbp2.Frame');

export function encodeFrame(frame: LarkFrame): Uint8Array {
  return FrameType.encode(FrameType.fromObject(frame)).finish();
}

/** Throws (protobufjs ProtocolError) on a frame missing a required field, like the SDK's decoder. */
export function decodeFrame(bytes: Uint8Array): LarkFrame {
  const message = FrameType.decode(bytes);
  // longs: Number whether or not `long` is active (the SDK switches protobufjs's Long off globally).
  const obj = FrameType.toObject(message, { longs: Number }) as LarkFrame;
  obj.headers ??= [];
  if (obj.payload) obj.payload = new Uint8Array(obj.payload);
  return obj;
}

export function headerValue(frame: LarkFrame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value;
}

export function headerMap(frame: LarkFrame): Record<string, string> {
  return Object.fromEntries(frame.headers.map((h) => [h.key, h.value]));
}

/** What Feishu answers a ping with: the ClientConfig as JSON (read at lib/index.js:102638-102659). */
export function pongFrame(serviceId: number, config: LarkClientConfig): LarkFrame {
  return {
    SeqID: 0,
    LogID: 0,
    service: serviceId,
    method: FrameMethod.control,
    headers: [{ key: 'type', value: 'pong' }],
    payload: new TextEncoder().encode(JSON.stringify(config)),
  };
}
