import { Readable } from 'node:stream';
import { type FileLike, FormDataEncoder, type FormDataLike } from 'form-data-encoder';

/** A file whose bytes come from a stream, read once as the request is sent. */
export interface StreamedFile {
  name: string;
  type?: string;
  source: AsyncIterable<Uint8Array>;
}

/**
 * A `multipart/form-data` body with one file field, encoded as the request goes out (boundary, the part's headers, the
 * file's bytes as they arrive, the closing boundary): the file is never held whole. Sent chunked, without a length.
 */
export function multipartFile(field: string, file: StreamedFile): { contentType: string; body: Readable } {
  const part: FileLike = {
    name: file.name,
    type: file.type ?? 'application/octet-stream',
    // Only a Content-Length of the whole body would be computed from it; the body is sent chunked.
    size: 0,
    lastModified: Date.now(),
    stream: () => file.source,
    [Symbol.toStringTag]: 'File',
  };
  const encoder = new FormDataEncoder(oneFieldForm(field, part));
  return { contentType: encoder.contentType, body: Readable.from(encoder.encode(), { objectMode: false }) };
}

/** The least of a `FormData` the encoder reads: one entry. */
function oneFieldForm(field: string, value: FileLike): FormDataLike {
  function* entries(): IterableIterator<[string, FileLike]> {
    yield [field, value];
  }
  return {
    [Symbol.toStringTag]: 'FormData',
    append: () => {
      throw new Error('this form holds one file');
    },
    getAll: (name) => (name === field ? [value] : []),
    entries,
    [Symbol.iterator]: entries,
  };
}
