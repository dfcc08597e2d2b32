import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layers point one way: index -> app -> slack (with feedback, files, access) -> relay -> store, queue, devin,
 * config. Read from the source's imports (type-only ones too), followed transitively: the domain and its peers never
 * reach Slack's SDK nor a layer above them.
 */
const SRC = join(__dirname, '..', 'src');
const LOWER = ['relay', 'store', 'queue', 'devin'];
const ABOVE = ['slack', 'feedback', 'access', 'doctor', 'app.ts', 'index.ts', 'cli.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm;

function importsOf(file: string): { modules: string[]; files: string[] } {
  const specifiers = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? '');
  return {
    modules: specifiers.filter((s) => !s.startsWith('.')),
    files: specifiers.filter((s) => s.startsWith('.')).map((s) => `${resolve(dirname(file), s)}.ts`),
  };
}

/** Every module `file` reaches, and the chain of files that leads to it. */
function reach(file: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (current: string, chain: string[]) => {
    if (seen.has(current)) return;
    seen.add(current);
    const { modules, files } = importsOf(current);
    for (const module of modules) if (!found.has(module)) found.set(module, [...chain, module]);
    for (const next of files) {
      const name = relative(SRC, next);
      if (!found.has(name)) found.set(name, [...chain, name]);
      visit(next, [...chain, name]);
    }
  };
  visit(file, [relative(SRC, file)]);
  return found;
}

describe('layers', () => {
  const lower = sources(SRC).filter((file) => LOWER.includes(relative(SRC, file).split('/')[0] ?? ''));

  it('finds the domain and its peers', () => {
    expect(lower.length).toBeGreaterThan(40);
  });

  it("never lets the domain, the store, the queue or Devin's client reach Slack's SDK or a layer above", () => {
    const wrong = lower.flatMap((file) =>
      [...reach(file)]
        .filter(([name]) => name.startsWith('@slack/') || ABOVE.includes(name.split('/')[0] ?? ''))
        .map(([, chain]) => chain.join(' -> ')),
    );
    expect(wrong).toEqual([]);
  });
});
