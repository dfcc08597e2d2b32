import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Dockerfile, DockerfileParser, type Instruction } from 'dockerfile-ast';
import { parse } from 'yaml';
import { type K8sObject, renderKustomization } from './kustomize';

/** The repository's root, where the deployment files live. */
export const ROOT = join(__dirname, '..', '..');

export const KUSTOMIZATIONS = {
  base: join(ROOT, 'deploy/kubernetes/base'),
  sqlite: join(ROOT, 'deploy/kubernetes/overlays/sqlite'),
} as const;

export type Json = Record<string, unknown>;

/** A pod template's container, as far as these checks read it. */
export interface Container {
  name: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: Json };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Json;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}

export interface Probe {
  httpGet?: { path: string; port: number | string };
}

export function rendered(which: keyof typeof KUSTOMIZATIONS): K8sObject[] {
  return renderKustomization(KUSTOMIZATIONS[which]);
}

export function deploymentOf(objects: K8sObject[]): K8sObject & { spec: Json } {
  const deployment = objects.find((o) => o.kind === 'Deployment');
  if (!deployment) throw new Error('no Deployment');
  return deployment as K8sObject & { spec: Json };
}

export function podSpecOf(objects: K8sObject[]): Json & { containers: Container[]; volumes?: Json[] } {
  const template = deploymentOf(objects).spec.template as { spec: Json & { containers: Container[] } };
  return template.spec;
}

export function readDockerfile(): Dockerfile {
  return DockerfileParser.parse(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
}

/** The instructions of the Dockerfile's last stage (the image that runs). */
export function runtimeStage(dockerfile: Dockerfile): Instruction[] {
  const froms = dockerfile.getFROMs();
  const last = froms[froms.length - 1];
  if (!last) throw new Error('the Dockerfile has no FROM');
  const start = last.getRange().start.line;
  return dockerfile.getInstructions().filter((i) => i.getRange().start.line >= start);
}

/** The exec-form command of a `CMD` or `HEALTHCHECK ... CMD` instruction, as its JSON array. */
export function execForm(instruction: Instruction): string[] | undefined {
  const text = instruction.getArgumentsContent() ?? '';
  const json = /^(?:CMD\s+)?(\[[\s\S]*\])\s*$/.exec(text.trim())?.[1];
  if (!json) return undefined;
  return JSON.parse(json) as string[];
}

export function readCompose(): Json & { services: Record<string, Json> } {
  return parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true });
}

/** `[Section]` -> directive -> every value given (a directive may repeat, as `Environment=`). */
export function readUnit(path: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line)?.[1];
    if (section) {
      current = new Map();
      sections.set(section, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq === -1) throw new Error(`${path}: cannot read "${line}"`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

/** The variables a text reads from the environment: `process.env.X`, `${X}`, `$X`. */
export function variablesIn(text: string): string[] {
  const names = [
    ...text.matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g),
    ...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)(?::?[-+?][^}]*)?\}/g),
    ...text.matchAll(/\$([A-Z_][A-Z0-9_]*)/g),
  ].map((m) => m[1] ?? '');
  return [...new Set(names)];
}
