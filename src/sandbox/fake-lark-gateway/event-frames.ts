import { FrameMethod, type LarkFrame } from './frames.js';

export interface EventFramesInput {
  payload: object;
  /** Frame header `type`. The SDK 1.74 only handles 'event' (lib/index.js:102671); 'card' frames are dropped unacked. */
  type: 'event' | 'card';
  messageId: string;
  traceId: string;
  serviceId: number;
  seqId: number;
  logId: number;
  /** Split the JSON bytes into this many frames (header sum/seq); default 1. May split inside a UTF-8 sequence, as bytes are joined before decoding. */
  parts?: number;
}

/**
 * A data frame (or several, for a split payload) as Feishu pushes it: method 1, headers
 * type / message_id / sum / seq / trace_id, payload = UTF-8 JSON of the schema 2.0 event.
 * The SDK rebuilds the payload per message_id from `sum` fragments indexed by `seq`
 * (DataCache.mergeData, lib/index.js:102017-102061).
 */
export function eventFrames(input: EventFramesInput): LarkFrame[] {
  const bytes = new TextEncoder().encode(JSON.stringify(input.payload));
  const parts = Math.max(1, Math.min(input.parts ?? 1, bytes.length));
  const frames: LarkFrame[] = [];
  for (let seq = 0; seq < parts; seq++) {
    frames.push({
      SeqID: input.seqId,
      LogID: input.logId,
      service: input.serviceId,
      method: FrameMethod.data,
      headers: [
        { key: 'type', value: input.type },
        { key: 'message_id', value: input.messageId },
        { key: 'sum', value: String(parts) },
        { key: 'seq', value: String(seq) },
        { key: 'trace_id', value: input.traceId },
      ],
      payload: bytes.subarray(
        Math.floor((seq * bytes.length) / parts),
        Math.floor(((seq + 1) * bytes.length) / parts),
      ),
      LogIDNew: `${input.logId}_${seq}`,
    });
  }
  return frames;
}
