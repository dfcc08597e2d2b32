/** Where the app's memory is, as its `/metrics` says (Node's default metrics), in bytes. */
export interface AppMemory {
  heapUsed: number;
  heapTotal: number;
  external: number;
}

const metric = (text: string, name: string) =>
  Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);

/** Reads the V8 heap (used and reserved) and the memory held outside it (Buffers, native addons) from `/metrics`. */
export async function appMemory(origin: string): Promise<AppMemory | undefined> {
  try {
    const res = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) return undefined;
    const text = await res.text();
    return {
      heapUsed: metric(text, 'nodejs_heap_size_used_bytes'),
      heapTotal: metric(text, 'nodejs_heap_size_total_bytes'),
      external: metric(text, 'nodejs_external_memory_bytes'),
    };
  } catch {
    return undefined;
  }
}
