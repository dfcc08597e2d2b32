import { join } from 'node:path';
import ts from 'typescript';
import type { K8sObject } from './kustomize';

const ROOT = join(__dirname, '..', '..');

/** The model `kubernetes-models` has for an object's apiVersion and kind (`apps/v1` `Deployment`, `v1` `Service`). */
function modelPath(object: K8sObject): string {
  return `kubernetes-models/${object.apiVersion}/${object.kind}`;
}

/**
 * Each object against Kubernetes' API schemas, twice: `kubernetes-models`' validators (types, required fields,
 * formats, enums), and its TypeScript types with an object literal's excess property check, which catches a field
 * the API does not have (`readinessprobe`, `httpGett`), something the JSON schemas let through. One problem per line.
 */
export function schemaProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const where = `${object.kind} ${object.metadata.name}`;
    let Model: new (data: unknown) => { validate(): void };
    try {
      Model = (require(modelPath(object)) as Record<string, typeof Model>)[object.kind] as typeof Model;
    } catch {
      problems.push(`${where}: no Kubernetes model for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return [...problems, ...unknownFields(objects)];
}

function unknownFields(objects: K8sObject[]): string[] {
  const file = join(ROOT, '__kubernetes_manifests__.ts');
  const source = objects
    .map((object, i) =>
      [
        `import type { I${object.kind} as T${i} } from '${modelPath(object)}';`,
        `export const o${i}: T${i} = ${JSON.stringify(object, null, 2)};`,
      ].join('\n'),
    )
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const index = d.file === undefined ? -1 : source.slice(0, d.start).split('\nexport const o').length - 2;
    const object = objects[index];
    return `${object ? `${object.kind} ${object.metadata.name}` : 'manifests'} (line ${at}): ${text}`;
  });
}
