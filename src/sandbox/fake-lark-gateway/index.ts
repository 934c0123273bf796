export type { GatewayConnection, RecordedFrame } from './connection.js';
export { type EndpointCall, EndpointCode, type EndpointOutcome } from './endpoint.js';
export * from './errors.js';
export type { EventAck } from './event-ack.js';
export { decodeFrame, encodeFrame, FrameMethod, type LarkClientConfig, type LarkFrame } from './frames.js';
export type {
  FakeLarkGateway,
  FakeLarkGatewayOptions,
  PushEventOptions,
  WaitOptions,
} from './gateway-types.js';
export { startFakeLarkGateway } from './server.js';
