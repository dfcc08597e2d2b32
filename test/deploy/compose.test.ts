import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config/config-schema';
import { type Json, ROOT, readCompose, variablesIn } from '../support/deploy-files';

const compose = readCompose();
const service = (name: string) => {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.yaml has no service ${name}`);
  return found as Json & { environment?: Record<string, string>; deploy?: { replicas?: number } };
};
/** `environment:` as a map, whichever of its two forms the file uses. */
const environment = (s: Json): Record<string, string> => {
  const given = s.environment ?? {};
  if (!Array.isArray(given)) return given as Record<string, string>;
  return Object.fromEntries(
    (given as string[]).map((pair) => [pair.split('=')[0], pair.split('=').slice(1).join('=')]),
  );
};

describe('compose.yaml', () => {
  it('runs two replicas on Redis, after Redis is healthy, with no port published (Socket Mode)', () => {
    const app = service('app');
    expect(app.profiles).toBeUndefined();
    expect(app.deploy?.replicas).toBe(2);
    expect(environment(app).STORE_URL).toMatch(/^redis:\/\/redis:6379/);
    expect(app.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(app.ports).toBeUndefined();
    expect(service('redis').healthcheck).toBeDefined();
  });

  it('keeps Redis data on disk (append-only file) and never evicts it', () => {
    const redis = service('redis');
    const command = (redis.command as string[]).join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(redis.volumes).toEqual([expect.stringMatching(/:\/data$/)]);
  });

  it('has a sqlite profile with one replica whose file is on a volume', () => {
    const sqlite = service('app-sqlite');
    expect(sqlite.profiles).toEqual(['sqlite']);
    expect(sqlite.deploy?.replicas ?? 1).toBe(1);
    expect(sqlite.depends_on).toBeUndefined();
    const path = environment(sqlite).STORE_URL?.replace(/^sqlite:\/\//, '') ?? '';
    expect(sqlite.volumes).toEqual([expect.stringMatching(new RegExp(`:${dirname(path)}$`))]);
  });

  it('runs the image read-only with a writable /tmp, and gives it time to stop', () => {
    for (const name of ['app', 'app-sqlite']) {
      const app = service(name);
      expect(app.build).toBe('.');
      expect(app.read_only).toBe(true);
      expect(app.tmpfs).toContain('/tmp');
      expect(Number.parseInt(String(app.stop_grace_period), 10)).toBeGreaterThan(10);
    }
  });

  it('names only variables the configuration reads', () => {
    const set = Object.values(compose.services).flatMap((s) =>
      s.image?.toString().startsWith('redis') ? [] : Object.keys(environment(s)),
    );
    const interpolated = variablesIn(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'));
    expect(set.length).toBeGreaterThan(1);
    expect([...set, ...interpolated].filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });
});
