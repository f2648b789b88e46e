import { generateSessionKeyPair, sessionPublicKeysJson } from '@ticketing/dev-servers';
import type { IConfigMap, IContainer, ISecret } from 'kubernetes-models/v1';
import type { K8sObject } from './k8s';

/** A Secret the overlay itself does not contain: created by operators (docs/deploy.md). */
export const OPERATOR_SECRET_VALUE = 'operator-provided-secret-value-0123456789abcdef';

/** Operator-provided values that must have a shape (a key pair), as an operator would create them. */
const operatorKeys = generateSessionKeyPair('operator-key');
const operatorCodeKey = generateSessionKeyPair('operator-code-key');
const OPERATOR_VALUES: Record<string, string> = {
  SESSION_SIGNING_KEY: operatorKeys.privateKeyPem,
  SESSION_SIGNING_KEY_ID: operatorKeys.kid,
  SESSION_PUBLIC_KEYS: sessionPublicKeysJson(operatorKeys),
  TICKET_CODE_SIGNING_KEY: operatorCodeKey.privateKeyPem,
  TICKET_CODE_KEY_ID: operatorCodeKey.kid,
};
const operatorValue = (key: string) => OPERATOR_VALUES[key] ?? OPERATOR_SECRET_VALUE;

export interface ResolvedEnv {
  /** What the process would see (values, secrets resolved as well as they can be offline). */
  env: Record<string, string>;
  /** Variables guaranteed to be set: values, field refs and non-optional secret keys. */
  guaranteed: Set<string>;
}

/**
 * The environment a container gets. Secret keys come from the overlay's own Secrets (dev's
 * secretGenerator) or, for secrets operators create, a placeholder; an optional key of a
 * secret the overlay does not define may be absent, so it is not guaranteed.
 */
export function resolveContainerEnv(container: IContainer, objects: K8sObject[]): ResolvedEnv {
  const env: Record<string, string> = {};
  const guaranteed = new Set<string>();
  const secrets = objects.filter((o) => o.kind === 'Secret') as unknown as (ISecret & K8sObject)[];
  const configMaps = objects.filter((o) => o.kind === 'ConfigMap') as unknown as (IConfigMap & K8sObject)[];
  for (const e of container.env ?? []) {
    if (e.value !== undefined) {
      env[e.name] = expandVariableReferences(e.value, env);
      guaranteed.add(e.name);
      continue;
    }
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = secrets.find((s) => s.metadata.name === ref.name);
      if (secret) {
        const data = secret.data?.[ref.key];
        if (data !== undefined) {
          env[e.name] = Buffer.from(data, 'base64').toString('utf8');
          guaranteed.add(e.name);
        } else if (!ref.optional) {
          throw new Error(`${e.name}: secret ${ref.name} has no key ${ref.key}`);
        }
      } else if (!ref.optional) {
        env[e.name] = operatorValue(ref.key);
        guaranteed.add(e.name);
      }
      continue;
    }
    const mapRef = e.valueFrom?.configMapKeyRef;
    if (mapRef) {
      const map = configMaps.find((m) => m.metadata.name === mapRef.name);
      const data = map?.data?.[mapRef.key];
      if (map && data === undefined && !mapRef.optional) throw new Error(`${e.name}: config map ${mapRef.name} has no key ${mapRef.key}`);
      if (data !== undefined || !mapRef.optional) {
        env[e.name] = data ?? operatorValue(mapRef.key);
        guaranteed.add(e.name);
      }
      continue;
    }
    if (e.valueFrom?.fieldRef) {
      env[e.name] = `field:${e.valueFrom.fieldRef.fieldPath}`;
      guaranteed.add(e.name);
      continue;
    }
    throw new Error(`${e.name}: unsupported env source ${JSON.stringify(e.valueFrom)}`);
  }
  return { env, guaranteed };
}

/**
 * Kubernetes' dependent environment variables: `$(NAME)` is replaced by the value of a variable
 * defined earlier in the list, `$$` is a literal `$`, and a reference to an unknown variable
 * stays as written.
 */
export function expandVariableReferences(value: string, defined: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (name === undefined) return '$';
    return Object.prototype.hasOwnProperty.call(defined, name) ? defined[name] : match;
  });
}
