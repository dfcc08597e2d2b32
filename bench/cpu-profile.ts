import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** The `.cpuprofile` files Node wrote into `dir`. */
export function profilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
}

/** The functions with the most self time in a V8 CPU profile, by name and source location. */
export function topSelfTime(file: string, top = 15): SelfTime[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const names = new Map<number, string>();
  for (const { id, callFrame: f } of profile.nodes) {
    const where = f.url
      ? `${f.url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\//, '')}:${f.lineNumber + 1}`
      : '';
    names.set(id, `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`);
  }
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const name = names.get(id) ?? '?';
    totals.set(name, (totals.get(name) ?? 0) + us);
    all += us;
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, share: all > 0 ? us / all : 0 }));
}
