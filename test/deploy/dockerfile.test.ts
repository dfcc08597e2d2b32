import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { CONFIG_VARIABLES } from '../../src/config/config-schema';
import { execForm, ROOT, readDockerfile, runtimeStage, variablesIn } from '../support/deploy-files';

const dockerfile = readDockerfile();
const stage = runtimeStage(dockerfile);
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
const keyword = (name: string) => (i: Instruction) => i.getKeyword() === name;
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
const text = (i: Instruction) => i.getArgumentsContent() ?? '';
/** The stage a `COPY --from=<stage>` copies from; undefined for the build context. */
const fromStage = (i: Instruction) => (i as unknown as Copy).getFromFlag?.()?.getValue() ?? undefined;
interface Copy {
  getFromFlag?(): { getValue(): string | null } | null;
}
const env = (i: Instruction) => (i.getKeyword() === 'ENV' ? (i as unknown as EnvInstruction).getProperties() : []);
interface EnvInstruction {
  getProperties(): Array<{ getName(): string; getValue(): string | null }>;
}

/** The image a `FROM` names, with its `ARG` defaults put in. */
function imageOf(from: Instruction): string {
  const defaults = new Map(
    dockerfile.getARGs().flatMap((arg) => arg.getProperties().map((p) => [p.getName(), p.getValue() ?? ''] as const)),
  );
  return (args(from)[0] ?? '').replace(/\$\{?(\w+)\}?/g, (_, name: string) => defaults.get(name) ?? '');
}

describe('Dockerfile', () => {
  it('builds in one stage (compiler, TypeScript) and runs from another, on a Node 22 or 24 LTS slim image', () => {
    const froms = dockerfile.getFROMs();
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const build = dockerfile
      .getInstructions()
      .filter((i) => i.getRange().start.line < (stage[0]?.getRange().start.line ?? 0));
    expect(build.filter(keyword('RUN')).map(text).join('\n')).toMatch(/g\+\+[\s\S]*npm run build/);
    expect(imageOf(froms[froms.length - 1] as Instruction)).toMatch(/^node:(22|24)(\.\d+)*-[a-z]*-?slim$/);
  });

  it('installs production dependencies only in the runtime stage, with the native module built before', () => {
    const runs = stage.filter(keyword('RUN')).map(text);
    expect(runs.some((run) => /npm ci\b.*--omit=dev/.test(run))).toBe(true);
    const fromBuild = stage
      .filter(keyword('COPY'))
      .filter((copy) => fromStage(copy) === 'build')
      .map(text);
    expect(fromBuild.some((copy) => copy.includes('better_sqlite3.node'))).toBe(true);
    expect(fromBuild.some((copy) => copy.includes('/app/dist'))).toBe(true);
  });

  it('runs as a non-root user, from before the command on', () => {
    const users = stage.filter(keyword('USER'));
    const last = users[users.length - 1];
    expect(last).toBeDefined();
    const [user = ''] = (args(last as Instruction)[0] ?? '').split(':');
    expect(['', '0', 'root']).not.toContain(user);
    const cmd = stage.filter(keyword('CMD')).pop();
    expect(last?.getRange().start.line).toBeLessThan(cmd?.getRange().start.line ?? 0);
  });

  it('runs node itself (exec form, no npm, no shell), so that SIGTERM reaches it', () => {
    const cmd = stage.filter(keyword('CMD')).pop();
    const command = cmd && execForm(cmd);
    expect(command?.[0]).toBe('node');
    expect(command).toContain(manifest.main);
    expect(stage.filter(keyword('ENTRYPOINT'))).toEqual([]);
  });

  it("bounds V8's heap as the benchmarks measured it (docs/benchmarks.md), as the systemd unit does", () => {
    const command = execForm(stage.filter(keyword('CMD')).pop() as Instruction);
    expect(command).toEqual(expect.arrayContaining(['--max-semi-space-size=2', '--max-old-space-size=128']));
  });

  it('checks its health with Node (no curl in a slim image), on /healthz', () => {
    const healthcheck = stage.find(keyword('HEALTHCHECK'));
    const command = healthcheck && execForm(healthcheck);
    expect(command?.[0]).toBe('node');
    expect(command?.join(' ')).toContain("'/healthz'");
    expect(command?.join(' ')).not.toMatch(/\b(curl|wget)\b/);
  });

  it('keeps the SQLite file in the /app/data volume, writable by the user it runs as', () => {
    expect(stage.filter(keyword('VOLUME')).map(text).join(' ')).toContain('/app/data');
    const store =
      stage
        .flatMap(env)
        .find((p) => p.getName() === 'STORE_URL')
        ?.getValue() ?? '';
    expect(dirname(store.replace(/^sqlite:\/\//, ''))).toBe('/app/data');
    const user = args(stage.filter(keyword('USER')).pop() as Instruction)[0];
    expect(stage.filter(keyword('RUN')).map(text).join('\n')).toContain(`chown ${user} /app/data`);
  });

  it('names only variables the configuration reads', () => {
    const set = stage.flatMap(env).map((p) => p.getName());
    const read = stage
      .filter((i) => ['HEALTHCHECK', 'CMD', 'RUN'].includes(i.getKeyword()))
      .flatMap((i) => variablesIn(text(i)));
    expect(set.length + read.length).toBeGreaterThan(1);
    expect([...set, ...read].filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it('copies only files that exist and that .dockerignore lets into the build', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
      .map((line) => line.replace(/\/$/, ''));
    for (const secret of ['.env', 'data', 'node_modules', '.git']) expect(ignored).toContain(secret);
    const sources = dockerfile
      .getInstructions()
      .filter(keyword('COPY'))
      .filter((copy) => fromStage(copy) === undefined)
      .flatMap((copy) => args(copy).slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
      expect(ignored).not.toContain(source);
    }
  });
});
