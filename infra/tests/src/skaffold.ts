import { readRepoFile } from './repo';
import { parseYaml } from './yaml';

export interface SyncRule {
  src: string;
  dest: string;
  strip?: string;
}
export interface SkaffoldArtifact {
  image: string;
  context?: string;
  docker?: { dockerfile?: string; target?: string; buildArgs?: Record<string, string> };
  sync?: { manual?: SyncRule[] };
}
export interface JsonPatch {
  op: string;
  path: string;
  value?: unknown;
}
export interface SkaffoldProfile {
  name: string;
  activation?: { command?: string; env?: string; kubeContext?: string }[];
  patches?: JsonPatch[];
  build?: unknown;
  manifests?: { kustomize?: { paths?: string[] } };
  deploy?: unknown;
}
/** A render hook (v4beta13 RenderHookItem): only host commands run before/after rendering. */
export interface RenderHookItem {
  host?: { command: string[]; os?: string[]; dir?: string };
}
export interface SkaffoldManifests {
  kustomize?: { paths?: string[] };
  hooks?: { before?: RenderHookItem[]; after?: RenderHookItem[] };
}
export interface SkaffoldConfig {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  build: { artifacts: SkaffoldArtifact[]; local?: Record<string, unknown> };
  manifests: SkaffoldManifests;
  deploy: { kubectl?: { flags?: { global?: string[]; apply?: string[]; delete?: string[] } } & Record<string, unknown> };
  profiles?: SkaffoldProfile[];
}

export const loadSkaffold = () => parseYaml(readRepoFile('skaffold.yaml'), 'skaffold.yaml') as SkaffoldConfig;
