/** How large a file may be to cross between Slack and Devin (`MAX_FILE_MB`). */
export interface FileLimits {
  maxMb: number;
  maxBytes: number;
}

export function fileLimits(maxMb: number): FileLimits {
  return { maxMb, maxBytes: Math.floor(maxMb * 1024 * 1024) };
}

/** Completes "Could not attach "<name>": …" for a file over the limit. */
export const overLimit = (limits: FileLimits) => `over the ${limits.maxMb} MB limit`;

/** `512 bytes`, `48 KB`, `30.2 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The bytes of a file passed the limit while they streamed (Slack's or Devin's size said less, or nothing). */
export class FileTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
    this.name = 'FileTooLarge';
  }
}

/**
 * The chunks of `source` as they come, counted: once more than `maxBytes` went by it throws `FileTooLarge` (the source
 * is then destroyed by whoever reads it). `onChunk` is told of each chunk (an idle deadline is touched with it).
 */
export async function* counted(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onChunk: (bytes: number) => void = () => undefined,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new FileTooLarge(maxBytes);
    onChunk(total);
    yield chunk;
  }
}
