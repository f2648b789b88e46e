import { readdirSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import type { K8sObject } from './k8s';
import { readRepoFile, repoPath } from './repo';
import { parseYamlDocuments } from './yaml';

/** The CRDs the manifests' custom objects are checked against: the vendored Gateway API. */
export const CRD_DIRS = [['infra', 'k8s', 'gateway-api', 'crds']];

interface CrdVersion {
  name: string;
  served: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
}
interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

/**
 * Like the API server with a structural schema: fields the schema does not declare are an
 * error (the server would prune them silently), unless the schema keeps unknown fields.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    // Property names are data, not keywords: recurse into each property's schema only.
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, closeObjects(v)])) : closeObjects(value);
  }
  if (out.properties && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

let validators: Map<string, ValidateFunction> | undefined;

/** apiVersion/kind → the compiled schema of every served version of the vendored CRDs. */
export function crdValidators(): Map<string, ValidateFunction> {
  if (validators) return validators;
  // The schemas' CEL rules (x-kubernetes-validations) and Kubernetes formats (int32, …) are the
  // API server's; the structure, types, enums, patterns and bounds are checked here.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  validators = new Map();
  for (const dir of CRD_DIRS) {
    for (const file of readdirSync(repoPath(...dir)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')) {
      for (const doc of parseYamlDocuments(readRepoFile(...dir, file), file) as Crd[]) {
        if (doc?.kind !== 'CustomResourceDefinition') continue;
        for (const version of doc.spec.versions.filter((v) => v.served && v.schema?.openAPIV3Schema)) {
          const schema = closeObjects(version.schema!.openAPIV3Schema) as Record<string, unknown>;
          validators.set(`${doc.spec.group}/${version.name}/${doc.spec.names.kind}`, ajv.compile(schema));
        }
      }
    }
  }
  return validators;
}

/** The schema for the object's apiVersion and kind when a vendored CRD defines it. */
export function crdValidatorFor(obj: K8sObject): ValidateFunction | undefined {
  return crdValidators().get(`${obj.apiVersion}/${obj.kind}`);
}

/** Throws with every schema error of a custom object. */
export function validateCustomObject(obj: K8sObject, validate: ValidateFunction): void {
  const { kind, metadata } = obj;
  if (validate(obj)) return;
  const errors = (validate.errors ?? []).map((e) =>
    e.keyword === 'additionalProperties' ? `unknown field ${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : `${e.instancePath || '/'} ${e.message}`,
  );
  throw new Error(`${kind}/${metadata.name}: ${errors.join('; ')}`);
}
