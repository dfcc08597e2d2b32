import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config/config-schema';
import { ROOT, readUnit } from '../support/deploy-files';

const unit = readUnit(join(ROOT, 'deploy/systemd/devin-slack.service'));
const service = unit.get('Service') ?? new Map<string, string[]>();
const one = (key: string) => service.get(key)?.at(-1);
const environment = new Map(
  (service.get('Environment') ?? []).map((pair) => [pair.split('=')[0] ?? '', pair.split('=').slice(1).join('=')]),
);
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };

describe('systemd unit', () => {
  it('has its sections, and reads its settings from an environment file', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    expect(one('EnvironmentFile')).toMatch(/^\/etc\/devin-slack\/.+\.env$/);
  });

  it('restarts on failure, but not on a configuration that cannot work (exit status 2)', () => {
    expect(one('Restart')).toBe('on-failure');
    expect(one('RestartPreventExitStatus')).toBe('2');
    expect(Number.parseInt(one('TimeoutStopSec') ?? '0', 10)).toBeGreaterThan(10);
  });

  it('keeps the SQLite file in its StateDirectory', () => {
    const state = one('StateDirectory');
    expect(state).toBe('devin-slack');
    expect(dirname(environment.get('STORE_URL')?.replace(/^sqlite:\/\//, '') ?? '')).toBe(`/var/lib/${state}`);
  });

  it('runs node itself on the built app, as an unprivileged user, without denying V8 its JIT', () => {
    const [program, ...args] = (one('ExecStart') ?? '').split(/\s+/);
    expect(program).toMatch(/\/node$/);
    expect(args).toContain(manifest.main);
    expect(args).toEqual(expect.arrayContaining(['--max-semi-space-size=2', '--max-old-space-size=128']));
    expect(one('DynamicUser') === 'yes' || (one('User') ?? 'root') !== 'root').toBe(true);
    expect(one('MemoryDenyWriteExecute')).toBeUndefined();
  });

  it('names only variables the configuration reads', () => {
    expect(environment.size).toBeGreaterThan(0);
    expect([...environment.keys()].filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });
});
