import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config/config-schema';
import { SECRET_VARIABLES } from '../../src/config/secrets';
import { type Container, deploymentOf, type Json, podSpecOf, rendered } from '../support/deploy-files';
import { schemaProblems } from '../support/kubernetes-schema';
import type { K8sObject } from '../support/kustomize';

/** Peak resident memory under `npm run bench` (the figures in docs/benchmarks.md): the limit must leave room above it. */
const PEAK_RSS_MIB = 230;
/** The app exits at most this long after SIGTERM (src/app/shutdown.ts forces it). */
const APP_STOP_S = 10;

const MIB: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024 };
const mebibytes = (quantity = '0') => {
  const [, amount = '0', unit = 'Mi'] = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi)$/.exec(quantity) ?? [];
  return Number(amount) * (MIB[unit] ?? Number.NaN);
};

const only = (objects: K8sObject[]): Container => {
  const containers = podSpecOf(objects).containers;
  expect(containers).toHaveLength(1);
  return containers[0] as Container;
};
const envOf = (container: Container, name: string) => container.env?.find((e) => e.name === name);
const mounted = (container: Container, path: string) =>
  container.volumeMounts?.some((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`)) ?? false;

describe.each(['base', 'sqlite'] as const)('Kubernetes: %s', (which) => {
  const objects = rendered(which);
  const container = only(objects);
  const pod = podSpecOf(objects);

  it("validates against Kubernetes' API schemas, unknown fields included", () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      which === 'base'
        ? ['Deployment', 'PodDisruptionBudget', 'Service']
        : ['Deployment', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service'],
    );
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('sets only variables the configuration reads', () => {
    const names = container.env?.map((e) => e.name) ?? [];
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it('takes the tokens and keys from a Secret, never as values in the manifest', () => {
    for (const name of SECRET_VARIABLES) {
      const entry = envOf(container, name);
      expect(entry?.value).toBeUndefined();
      expect(entry?.valueFrom?.secretKeyRef).toEqual(expect.objectContaining({ key: name }));
    }
  });

  it('runs as a non-root user on a read-only root filesystem, writable only where the app writes', () => {
    const podSecurity = pod.securityContext as Json;
    expect(podSecurity.runAsNonRoot).toBe(true);
    expect(podSecurity.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toEqual(
      expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }),
    );
    // Files crossing between Slack and Devin are spooled in the temporary folder (src/slack/files/spool.ts).
    expect(mounted(container, tmpdir())).toBe(true);
  });

  it('probes startup and liveness on /healthz and readiness on /readyz, on the port PORT names', () => {
    expect(container.startupProbe?.httpGet?.path).toBe('/healthz');
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    const port = Number(envOf(container, 'PORT')?.value ?? 3000);
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      const named = container.ports?.find((p) => p.name === probe?.httpGet?.port);
      expect(named?.containerPort ?? probe?.httpGet?.port).toBe(port);
    }
  });

  it('waits a moment before SIGTERM and lets the app stop before the grace period ends', () => {
    const preStop = container.lifecycle?.preStop as { exec?: { command: string[] } } | undefined;
    const [program, seconds] = preStop?.exec?.command ?? [];
    expect(program).toBe('sleep');
    expect(Number(seconds)).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds) + APP_STOP_S);
  });

  it('requests memory for the usual working set and limits it with room above the measured peak', () => {
    const { requests = {}, limits = {} } = container.resources ?? {};
    expect(mebibytes(requests.memory)).toBeGreaterThanOrEqual(PEAK_RSS_MIB);
    expect(mebibytes(limits.memory)).toBeGreaterThanOrEqual(2 * PEAK_RSS_MIB);
    expect(requests.cpu).toBeDefined();
  });

  it("selects the Deployment's pods in the Service and the disruption budget", () => {
    const labels = (deploymentOf(objects).spec.template as { metadata: { labels: Json } }).metadata.labels;
    const service = objects.find((o) => o.kind === 'Service') as K8sObject & { spec: Json };
    const budget = objects.find((o) => o.kind === 'PodDisruptionBudget') as K8sObject & { spec: Json };
    expect(labels).toEqual(expect.objectContaining(service.spec.selector as Json));
    expect(labels).toEqual(expect.objectContaining((budget.spec.selector as { matchLabels: Json }).matchLabels));
    const [port] = service.spec.ports as Array<{ targetPort: string }>;
    expect(container.ports?.map((p) => p.name)).toContain(port?.targetPort);
  });
});

describe('Kubernetes: base (Redis)', () => {
  const objects = rendered('base');
  const deployment = deploymentOf(objects);

  it('runs two replicas, rolled one at a time without dropping below two, on the store the Secret names', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(envOf(only(objects), 'STORE_URL')?.valueFrom?.secretKeyRef?.key).toBe('STORE_URL');
  });
});

describe('Kubernetes: SQLite overlay', () => {
  const objects = rendered('sqlite');
  const deployment = deploymentOf(objects);
  const container = only(objects);

  it('runs one replica, replaced rather than rolled, so that two processes never share the file', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('keeps the SQLite file on the claimed volume', () => {
    const store = envOf(container, 'STORE_URL');
    expect(store?.valueFrom).toBeUndefined();
    const path = store?.value?.replace(/^sqlite:\/\//, '') ?? '';
    expect(path).toMatch(/^\/.+\.sqlite$/);
    const mount = container.volumeMounts?.find((m) => m.mountPath === dirname(path));
    const volume = podSpecOf(objects).volumes?.find((v) => v.name === mount?.name) as
      | { persistentVolumeClaim?: { claimName: string } }
      | undefined;
    const claim = volume?.persistentVolumeClaim?.claimName;
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === claim)).toBe(true);
  });
});
