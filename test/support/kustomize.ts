import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One Kubernetes object as a manifest holds it. */
export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string } & Record<string, unknown>;
};

type Json = Record<string, unknown>;

/** The fields of a `kustomization.yaml` this renderer understands; any other fails the render. */
const FIELDS = new Set(['apiVersion', 'kind', 'resources', 'patches']);
/** Lists merged item by item on `name`, as Kubernetes' strategic merge patch does for these. */
const NAMED_LISTS = new Set(['containers', 'initContainers', 'env', 'volumes', 'volumeMounts']);

/**
 * What `kubectl kustomize <dir>` renders, for the subset the deployment files use: `resources` (files and
 * directories with their own kustomization) and `patches` given by `path`, applied as strategic merge patches (maps
 * merged, `null` deleting a field, containers, env, volumes and mounts merged by name). Anything else it meets throws,
 * so a kustomization that grows past this subset fails the tests instead of being rendered wrong.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const kustomization = readYaml(join(dir, 'kustomization.yaml'))[0] as Json;
  for (const field of Object.keys(kustomization)) {
    if (!FIELDS.has(field))
      throw new Error(`${dir}/kustomization.yaml: ${field} is not supported by the test renderer`);
  }
  const objects: K8sObject[] = [];
  for (const resource of (kustomization.resources ?? []) as string[]) {
    const path = join(dir, resource);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : (readYaml(path) as K8sObject[])));
  }
  for (const entry of (kustomization.patches ?? []) as Json[]) {
    if (typeof entry.path !== 'string' || Object.keys(entry).length !== 1) {
      throw new Error(`${dir}/kustomization.yaml: only patches given by path are supported`);
    }
    for (const patch of readYaml(join(dir, entry.path)) as K8sObject[]) {
      const index = objects.findIndex((o) => sameObject(o, patch));
      if (index === -1) throw new Error(`${entry.path}: no ${patch.kind} ${patch.metadata.name} to patch`);
      objects[index] = mergePatch(objects[index] as Json, patch) as K8sObject;
    }
  }
  return objects;
}

function readYaml(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
    return doc.toJS();
  });
}

function sameObject(a: K8sObject, b: K8sObject): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.metadata.name === b.metadata.name;
}

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergePatch(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new Error(`patch directive ${key} is not supported by the test renderer`);
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = mergePatch(out[key] as Json, value);
    else if (Array.isArray(value) && Array.isArray(out[key]) && NAMED_LISTS.has(key)) {
      out[key] = mergeNamed(out[key] as Json[], value as Json[]);
    } else out[key] = value;
  }
  return out;
}

function mergeNamed(target: Json[], patch: Json[]): Json[] {
  const out = [...target];
  for (const item of patch) {
    const index = out.findIndex((existing) => existing.name === item.name);
    if (index === -1) out.push(item);
    else out[index] = mergePatch(out[index] as Json, item);
  }
  return out;
}
