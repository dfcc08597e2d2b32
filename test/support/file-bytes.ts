import { createHash } from 'node:crypto';

const CHUNK = 64 * 1024;

/**
 * The bytes of a test file of `size` bytes, made as they are read (a 50 MB file is never held): byte `i` is
 * `(i * 31 + seed) & 0xff`, so that what arrives can be checked against what was sent.
 */
export async function* patternBytes(size: number, seed = 7): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < size; offset += CHUNK) {
    const length = Math.min(CHUNK, size - offset);
    const chunk = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i += 1) chunk[i] = ((offset + i) * 31 + seed) & 0xff;
    yield chunk;
  }
}

/** The SHA-256 of `patternBytes(size, seed)`, in hex. */
export async function patternSha256(size: number, seed = 7): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of patternBytes(size, seed)) hash.update(chunk);
  return hash.digest('hex');
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
