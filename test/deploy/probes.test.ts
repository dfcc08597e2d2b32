import { type Container, execForm, podSpecOf, readDockerfile, rendered, runtimeStage } from '../support/deploy-files';
import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { FlakyStore } from '../support/flaky-store';
import { Harness } from '../support/harness';

/**
 * The paths the deployment files probe, asked of the real app: a liveness check (Kubernetes' startup and liveness
 * probes, the image's HEALTHCHECK) must get 200 even while the app is not ready, or the platform would restart a
 * process that a restart cannot help; a readiness probe must be a route that says 503 then.
 */
function kubernetesProbes(): { liveness: string[]; readiness: string[] } {
  const containers = [...podSpecOf(rendered('base')).containers, ...podSpecOf(rendered('sqlite')).containers];
  const paths = (pick: (c: Container) => string | undefined) => containers.map(pick).filter((p) => p !== undefined);
  return {
    liveness: paths((c) => c.startupProbe?.httpGet?.path).concat(paths((c) => c.livenessProbe?.httpGet?.path)),
    readiness: paths((c) => c.readinessProbe?.httpGet?.path),
  };
}

/** The path the image's HEALTHCHECK asks (inside its `node -e` script). */
function healthcheckPath(): string {
  const healthcheck = runtimeStage(readDockerfile()).find((i) => i.getKeyword() === 'HEALTHCHECK');
  const script = (healthcheck && execForm(healthcheck)?.join(' ')) ?? '';
  const path = /'(\/[a-z]+)'/.exec(script)?.[1];
  if (!path) throw new Error(`no path in the HEALTHCHECK: ${script}`);
  return path;
}

const probes = kubernetesProbes();
const liveness = [...new Set([...probes.liveness, healthcheckPath()])];
const readiness = [...new Set(probes.readiness)];

describe('probe paths, asked of the running app', () => {
  let h: Harness;
  let socket: FakeSocketMode | undefined;
  afterEach(async () => {
    await h.close();
    await socket?.close();
  });

  it('answers the liveness paths 200 and the readiness path 503 while the app is not ready (HTTP mode)', async () => {
    // Not ready means the app cannot record events: here its store stops answering.
    let flaky: FlakyStore | undefined;
    h = await Harness.start({
      wrapStore: (store) => {
        flaky = new FlakyStore(store);
        return flaky;
      },
    });
    flaky?.down();
    expect(liveness.length).toBeGreaterThanOrEqual(1);
    expect(readiness.length).toBe(1);
    for (const path of liveness) expect([path, (await fetch(`${h.baseUrl}${path}`)).status]).toEqual([path, 200]);
    for (const path of readiness) {
      const res = await fetch(`${h.baseUrl}${path}`);
      expect([path, res.status]).toEqual([path, 503]);
      expect(await res.json()).toEqual(expect.objectContaining({ ok: false }));
    }
    // A path the app does not serve is told apart.
    expect((await fetch(`${h.baseUrl}/livez`)).status).toBe(404);
  });

  it('answers them in Socket Mode too, where the image runs by default in compose', async () => {
    socket = await FakeSocketMode.start();
    const slack = await FakeSlack.start();
    slack.socketUrl = socket.url;
    h = await Harness.start({ slack, env: { SLACK_APP_TOKEN: 'xapp-1-test', SLACK_SIGNING_SECRET: '' } });
    for (const path of [...liveness, ...readiness]) {
      expect([path, (await fetch(`${h.baseUrl}${path}`)).status]).toEqual([path, 200]);
    }
  });
});
