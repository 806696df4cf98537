import type http from 'node:http';

// Request bodies as the emulator reads them: raw bytes (uploads are binary), and multipart/form-data parts.

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** multipart/form-data (RFC 7578) by part name: file parts (a filename or a Content-Type) as bytes, since a
 *  workbook is binary; the rest as text. undefined when the body is not well formed. */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string | Buffer> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: Record<string, string | Buffer> = {};
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts; // the closing delimiter
    const next = body.indexOf(delimiter, start);
    if (next < 0) return undefined; // cut off before the closing delimiter
    const part = body.subarray(start + 2, next - 2); // without the CRLFs around the delimiters
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) return undefined;
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const name = /;\s*name="([^"]*)"/i.exec(headers)?.[1];
    const data = part.subarray(headerEnd + 4);
    if (name !== undefined)
      parts[name] = /filename\*?=|^content-type:/im.test(headers) ? Buffer.from(data) : data.toString('utf8');
    at = next;
  }
}
