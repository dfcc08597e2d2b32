import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The layers point one way: index -> app -> slack -> relay, whose ports devin/ and store/ implement. dependency-cruiser
 * reads every import (type-only ones too) against the rules in .dependency-cruiser.cjs; docs/architecture.md shows the
 * graph it draws.
 */
const ROOT = join(__dirname, '..');
const run = promisify(execFile);

interface Cruised {
  modules: Array<{ source: string; dependencies: Array<{ resolved: string }> }>;
  summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> };
}

let cruised: Cruised;
beforeAll(async () => {
  const cli = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const args = [cli, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'];
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  cruised = JSON.parse(stdout) as Cruised;
}, 60_000);

/** Every module `source` reaches through its imports, with the chain that leads to it. */
function reach(source: string): Map<string, string[]> {
  const imports = new Map(cruised.modules.map((m) => [m.source, m.dependencies.map((d) => d.resolved)]));
  const found = new Map<string, string[]>();
  const visit = (current: string, chain: string[]) => {
    for (const next of imports.get(current) ?? []) {
      if (found.has(next)) continue;
      found.set(next, [...chain, next]);
      visit(next, [...chain, next]);
    }
  };
  visit(source, [source]);
  return found;
}

describe('the layers', () => {
  it('find the domain and its peers', () => {
    const lower = cruised.modules.filter((m) => /^src\/(relay|devin|store)\//.test(m.source));
    expect(lower.length).toBeGreaterThan(60);
  });

  it('keep every import pointing the way the layers go, with no cycle of files or folders', () => {
    expect(cruised.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it("never let the domain, Devin's clients or the store reach Slack's SDK or a layer above, through any chain", () => {
    const above = /(^|\/)node_modules\/@slack\/|^src\/(slack|ops|app)\/|^src\/(index|cli)\.ts$/;
    const wrong = cruised.modules
      .filter((m) => /^src\/(relay|devin|store)\//.test(m.source))
      .flatMap((m) => [...reach(m.source)].filter(([name]) => above.test(name)).map(([, chain]) => chain.join(' -> ')));
    expect(wrong).toEqual([]);
  });

  it('are drawn in docs/architecture.md as the code draws them', async () => {
    const script = join(ROOT, 'scripts', 'architecture-graph.mjs');
    const { stdout } = await run(process.execPath, [script, '--check'], { cwd: ROOT });
    expect(stdout).toContain('as the code draws it');
  }, 60_000);
});
