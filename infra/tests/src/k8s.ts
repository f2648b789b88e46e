import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findBinary } from '@ticketing/dev-servers';
import type { IContainer, IEnvVar, IPodSpec, IPodTemplateSpec, IService } from 'kubernetes-models/v1';
import type { IDeployment, IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { ensureClusterSecrets } from '../../scripts/secrets';
import { ensureSessionKeys, ensureTicketCodeKey } from '@ticketing/local/src/session-keys';
import { DEV_OVERLAY_SESSION_KEYS, DEV_OVERLAY_TICKET_CODE_KEY } from '@ticketing/local/src/session-keys-cli';
import { overlayDir, repoPath, type Overlay } from './repo';
import { parseYamlDocuments } from './yaml';

/** A rendered Kubernetes object: typed where the tests look, open elsewhere. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: IObjectMeta & { name: string };
  [field: string]: unknown;
}

export type Workload = (IDeployment | IStatefulSet) & K8sObject;

/** `kustomize build <dir>` with the pinned kustomize (infra/scripts/prepare.sh installs it). */
export function kustomizeBuild(dir: string): K8sObject[] {
  const out = execFileSync(findBinary('kustomize'), ['build', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseYamlDocuments(out, `kustomize build ${dir}`).map((doc) => {
    const obj = doc as K8sObject;
    if (!obj || typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string' || !obj.metadata?.name) {
      throw new Error(`kustomize build ${dir}: a document without apiVersion, kind or metadata.name`);
    }
    return obj;
  });
}

/**
 * The dev overlay's secrets are generated, never committed: writes the missing ones
 * (infra/scripts/dev-secrets.sh, git-ignored files), as a developer does before `skaffold dev`.
 */
export function ensureDevSecrets(): void {
  execFileSync('bash', [repoPath('infra', 'scripts', 'dev-secrets.sh')], { stdio: 'ignore' });
}

/**
 * The dev overlay's generators read key files that are never committed: generate throw-away
 * ones (as `npm run k8s:dev-keys` does) when a fresh clone has none.
 */
export function ensureDevOverlayKeys(): void {
  ensureSessionKeys(repoPath(DEV_OVERLAY_SESSION_KEYS));
  ensureTicketCodeKey(repoPath(DEV_OVERLAY_TICKET_CODE_KEY));
}

const rendered = new Map<Overlay, K8sObject[]>();
/** The overlay's objects (rendered once per test file). */
export function renderOverlay(overlay: Overlay): K8sObject[] {
  // The dev overlay's secrets are generated files, not committed: NATS/Redis credentials, session keys and the rest.
  if (overlay === 'dev') {
    ensureDevSecrets();
    ensureClusterSecrets();
    ensureDevOverlayKeys();
  }
  if (!rendered.has(overlay)) rendered.set(overlay, kustomizeBuild(overlayDir(overlay)));
  return rendered.get(overlay)!;
}

/**
 * The overlay with more kustomize components (infra/k8s/components/<name>), as an overlay of
 * its own that includes them would render: a throw-away kustomization outside the repository.
 */
export function withComponents(overlay: Overlay, components: string[]): K8sObject[] {
  renderOverlay(overlay); // the dev overlay's generated files
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ticketing-kustomize-'));
  try {
    const rel = (p: string) => path.relative(dir, p);
    const lines = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      `resources: [${rel(overlayDir(overlay))}]`,
      `components: [${components.map((c) => rel(repoPath('infra', 'k8s', 'components', c))).join(', ')}]`,
    ];
    writeFileSync(path.join(dir, 'kustomization.yaml'), `${lines.join('\n')}\n`);
    return kustomizeBuild(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const ofKind = <T = K8sObject>(objects: K8sObject[], kind: string) =>
  objects.filter((o) => o.kind === kind) as unknown as (T & K8sObject)[];

export function findObject<T = K8sObject>(objects: K8sObject[], kind: string, name: string): T & K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found as unknown as T & K8sObject;
}

export const workloads = (objects: K8sObject[]): Workload[] =>
  objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet') as Workload[];

export const deployments = (objects: K8sObject[]) => ofKind<IDeployment>(objects, 'Deployment');
export const services = (objects: K8sObject[]) => ofKind<IService>(objects, 'Service');

export function podTemplate(w: Workload): IPodTemplateSpec {
  const t = w.spec?.template;
  if (!t) throw new Error(`${w.kind}/${w.metadata.name} has no pod template`);
  return t;
}
export const podSpec = (w: Workload): IPodSpec => podTemplate(w).spec!;
export const containersOf = (w: Workload): IContainer[] => podSpec(w).containers;

/** The workload's main container: the one named like the workload, or the only one. */
export function mainContainer(w: Workload): IContainer {
  const cs = containersOf(w);
  return cs.find((c) => c.name === w.metadata.name) ?? (cs.length === 1 ? cs[0] : (() => { throw new Error(`${w.metadata.name}: which container?`); })());
}

export const envVar = (c: IContainer, name: string): IEnvVar | undefined => c.env?.find((e) => e.name === name);

/** Does a label selector (matchLabels only) select these labels? */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Workloads whose pods a Service's selector picks. */
export function backendsOf(svc: IService & K8sObject, objects: K8sObject[]): Workload[] {
  return workloads(objects).filter((w) => selects(svc.spec?.selector, podTemplate(w).metadata?.labels));
}

export const describe_ = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
