export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Boundary from a `multipart/form-data; boundary=...` header, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2])?.trim() : undefined;
}

/** Minimal multipart/form-data parser (enough for what the SDK's axios/form-data sends). */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('multipart: no opening boundary');
  pos += delimiter.length;
  for (;;) {
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (body.subarray(pos, pos + 2).toString() !== '\r\n')
      throw new Error('multipart: malformed boundary line');
    const headerStart = pos + 2;
    const headerEnd = body.indexOf('\r\n\r\n', headerStart);
    if (headerEnd < 0) throw new Error('multipart: unterminated part headers');
    const headers = body.subarray(headerStart, headerEnd).toString('utf8').split('\r\n');
    const dataStart = headerEnd + 4;
    const dataEnd = body.indexOf(next, dataStart);
    if (dataEnd < 0) throw new Error('multipart: unterminated part');
    const part: MultipartPart = { name: '', data: body.subarray(dataStart, dataEnd) };
    for (const line of headers) {
      const idx = line.indexOf(':');
      const key = line.slice(0, idx).trim().toLowerCase();
      const value = line.slice(idx + 1).trim();
      if (key === 'content-disposition') {
        part.name = /\bname="([^"]*)"/.exec(value)?.[1] ?? '';
        const filename = /\bfilename="([^"]*)"/.exec(value)?.[1];
        if (filename !== undefined) part.filename = filename;
      } else if (key === 'content-type') {
        part.contentType = value;
      }
    }
    parts.push(part);
    pos = dataEnd + next.length;
  }
}
