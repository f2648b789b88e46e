import { crdValidatorFor, validateCustomObject } from './crd-validate';
import type { K8sObject } from './k8s';

/**
 * Validates an object against the Kubernetes OpenAPI schema, offline, with the
 * kubernetes-models package (types, formats, required fields, enums) — and, like
 * `kubectl apply --validate=strict`, rejects unknown fields (a typo such as `readinesProbe`
 * would otherwise be dropped silently by the API server's pruning in older clients).
 *
 * kubernetes-models' compiled validators ignore properties they do not know, so unknown
 * fields are found by watching which properties the validator reads: every key of every
 * object it checks is read once if the schema knows it (maps are iterated key by key).
 * Custom objects (Gateway API) are checked against their vendored CRD's OpenAPI schema.
 */
export function validateK8sObject(rendered: K8sObject): void {
  const custom = crdValidatorFor(rendered);
  if (custom) return validateCustomObject(rendered, custom);
  const obj = withoutCrdSchemas(unwrapSecretData(rendered));
  const modulePath = obj.apiVersion === 'v1' ? 'kubernetes-models/v1' : `kubernetes-models/${obj.apiVersion}`;
  let mod: Record<string, { prototype: { validate(this: unknown): void } }>;
  try {
    mod = require(modulePath) as typeof mod;
  } catch {
    throw new Error(`${obj.kind}/${obj.metadata.name}: unknown apiVersion ${obj.apiVersion}`);
  }
  const model = mod[obj.kind];
  if (!model?.prototype?.validate) throw new Error(`${obj.kind}/${obj.metadata.name}: unknown kind ${obj.kind} in ${obj.apiVersion}`);

  const read = new Map<object, Set<string>>();
  const watch = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value;
    return new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') {
          let keys = read.get(target);
          if (!keys) read.set(target, (keys = new Set()));
          keys.add(key);
        }
        return watch(Reflect.get(target, key, receiver));
      },
    });
  };
  try {
    model.prototype.validate.call(watch(obj));
  } catch (err) {
    throw new Error(`${obj.kind}/${obj.metadata.name}: ${(err as Error).message}`, { cause: err });
  }
  const unknown = unreadFields(obj, read, '');
  if (unknown.length > 0) {
    throw new Error(`${obj.kind}/${obj.metadata.name}: unknown field(s) ${unknown.join(', ')}`);
  }
}

function unreadFields(value: unknown, read: Map<object, Set<string>>, path: string, out: string[] = []): string[] {
  if (!value || typeof value !== 'object') return out;
  const keys = read.get(value) ?? new Set<string>();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = `${path}/${key}`;
    if (!Array.isArray(value) && !keys.has(key)) out.push(childPath);
    else unreadFields(child, read, childPath, out);
  }
  return out;
}

/**
 * kustomize writes long Secret values (a PEM key) as base64 wrapped over several lines; the
 * API server's base64 decoder (Go's) ignores the line breaks, the schema's `byte` format
 * does not. Validate the value as the server reads it.
 */
function unwrapSecretData(obj: K8sObject): K8sObject {
  const data = obj.kind === 'Secret' ? (obj.data as Record<string, unknown> | undefined) : undefined;
  if (!data) return obj;
  const unwrapped = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\r\n]/g, '') : v]));
  return { ...obj, data: unwrapped };
}

/**
 * A CRD's OpenAPI schemas are JSON Schema, which kubernetes-models' validator does not walk
 * (it would call every keyword unknown): the rest of the CRD is checked here, the schemas by
 * compiling them (src/crd-validate.ts, the vendored CRDs).
 */
function withoutCrdSchemas(obj: K8sObject): K8sObject {
  if (obj.kind !== 'CustomResourceDefinition') return obj;
  const spec = obj.spec as { versions?: { schema?: unknown }[] };
  return { ...obj, spec: { ...spec, versions: spec.versions?.map((v) => ({ ...v, schema: v.schema ? { openAPIV3Schema: { type: 'object' } } : undefined })) } };
}
