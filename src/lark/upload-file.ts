import type { ReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type * as lark from '@larksuiteoapi/node-sdk';
import { checked } from './lark-call.js';
import { LarkApiError } from './lark-error.js';

export interface UploadInput {
  bytes: Buffer;
  fileName: string;
  fileType: 'mp4' | 'opus' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';
  durationMs?: number;
}

/**
 * An http instance for a client that only uploads: it hands the SDK the whole answer body as `data`, so
 * `im.file.create` (which returns `res.data || null`) gives back `{ code, msg, data }` and an HTTP 200 with
 * a non-zero code keeps its code and message instead of becoming a bare null.
 */
export function wholeBodyHttpInstance(inner: lark.HttpInstance): lark.HttpInstance {
  return { ...inner, request: async (o) => ({ data: await inner.request(o) }) } as lark.HttpInstance;
}

/**
 * im.file.create the way the official examples send it: the file part carries its file name (they pass
 * a file stream; form-data takes the part's filename from the stream's `path`). A Buffer, as the SDK
 * would otherwise append it, goes without one. Use a client built with `wholeBodyHttpInstance`.
 */
export async function uploadFile(client: lark.Client, input: UploadInput): Promise<string> {
  // Typed as the fs.ReadStream the SDK's typings ask for: form-data only reads it as a stream with a path.
  const file = Object.assign(Readable.from([input.bytes]), { path: input.fileName }) as unknown as ReadStream;
  const body = (await client.im.file.create({
    data: {
      file_type: input.fileType,
      file_name: input.fileName,
      ...(input.durationMs !== undefined ? { duration: Math.max(0, Math.round(input.durationMs)) } : {}),
      file,
    },
  })) as unknown as { code?: number; msg?: string; data?: { file_key?: string } } | null;
  const res = checked('im.file.create', body);
  const key = res.data?.file_key;
  if (!key) throw new LarkApiError('UNKNOWN', 'im.file.create: Feishu answered without a file_key');
  return key;
}
