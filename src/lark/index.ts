export { type Delivery, decodeDelivery } from './decode-delivery.js';
export { decryptLarkEvent, encryptLarkEvent } from './decrypt-event.js';
export type {
  CardAction,
  CardActionAnswer,
  ChatEvent,
  ChatEventHandler,
  ChatMessage,
  Mention,
} from './events.js';
export { idempotencyKey } from './idempotency-key.js';
export {
  codeForLark,
  isLarkApiError,
  LarkApiError,
  type LarkApiErrorCode,
  toLarkApiError,
} from './lark-error.js';
export {
  type FetchedMessage,
  MAX_UPLOAD_BYTES,
  Messenger,
  type MessengerOptions,
  type SendOptions,
  type SentMessage,
} from './messenger.js';
export { BodyTooLargeError, readRawBody } from './read-raw-body.js';
export { createReceiverRouter, type ReceiverOptions } from './receiver.js';
export { resolveDomain } from './resolve-domain.js';
export { type SdkLoggerOptions, sdkLogger, sdkLogText } from './sdk-logger.js';
export type { LarkEvent, LarkEventHeader } from './types.js';
export { computeLarkSignature, type SignatureInput, verifyLarkSignature } from './verify-signature.js';
export { pingTimeoutFor } from './ws-connection.js';
export {
  createWsReceiver,
  startWsReceiver,
  toSchema2,
  type WsReceiver,
  type WsReceiverOptions,
} from './ws-receiver.js';
export { type Health, healthOf, type WsState, type WsStatus } from './ws-status.js';
