import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A stream's bytes kept in a temporary file (removed by `remove`), for an upload that must state its length first. */
export interface Spooled {
  length: number;
  read(): Readable;
  remove(): Promise<void>;
}

/** Writes `source` to a temporary file, never holding it in memory; the file is removed if writing fails. */
export async function spool(source: AsyncIterable<Uint8Array>): Promise<Spooled> {
  const dir = await mkdtemp(join(tmpdir(), 'devin-slack-file-'));
  const path = join(dir, 'file');
  const remove = () => rm(dir, { recursive: true, force: true });
  let length = 0;
  try {
    await pipeline(
      Readable.from(source, { objectMode: false }),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          length += chunk.byteLength;
          yield chunk;
        }
      },
      createWriteStream(path),
    );
  } catch (error) {
    await remove();
    throw error;
  }
  return { length, read: () => createReadStream(path), remove };
}
