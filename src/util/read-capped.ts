/**
 * Reads a stream (a Node Readable, a fetch body: anything async-iterable of bytes) into one Buffer, giving
 * up as soon as it passes `max` bytes: then `undefined`, and the stream is released. The one size-capped
 * reader for downloads (images from Feishu, videos from Jimeng) and error bodies.
 */
export async function readCapped(
  stream: AsyncIterable<Uint8Array | string> & { destroy?(): void; cancel?(): Promise<void> },
  max: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += buf.length;
    if (size > max) {
      stream.destroy?.();
      await stream.cancel?.().catch(() => {});
      return undefined;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}
