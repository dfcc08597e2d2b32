import { randomUUID } from 'node:crypto';

/** A file read as it is sent: nothing holds it whole in memory. */
export interface StreamedFile {
  name: string;
  contentType?: string;
  /** In bytes, when known: the request then says its length instead of being chunked. */
  size?: number;
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream;
}

/** A `multipart/form-data` body with one file field, produced chunk by chunk. */
export interface MultipartBody {
  contentType: string;
  /** The whole body's length in bytes, when the file's size is known. */
  length?: number;
  chunks: AsyncIterable<Uint8Array>;
}

/** The body of a form with one file in `field` (RFC 7578), streamed from the file's source. */
export function multipartFile(
  field: string,
  file: StreamedFile,
  boundary = `devin-slack-${randomUUID()}`,
): MultipartBody {
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${quoted(field)}"; filename="${quoted(file.name)}"\r\n` +
      `Content-Type: ${contentTypeOf(file.contentType)}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield head;
    for await (const chunk of file.source as AsyncIterable<Uint8Array | string>) {
      yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    }
    yield tail;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    ...(file.size === undefined ? {} : { length: head.length + file.size + tail.length }),
    chunks: chunks(),
  };
}

/** A name inside a quoted header parameter, escaped as browsers do: no quote or line break can end it early. */
function quoted(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A type that cannot break the part's headers; unknown or odd ones are sent as plain bytes. */
function contentTypeOf(type: string | undefined): string {
  return type && /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+-]+)*$/.test(type) ? type : 'application/octet-stream';
}
