import { containersOf, kustomizeBuild, renderOverlay, workloads, type K8sObject } from './k8s';
import { OVERLAYS, repoPath } from './repo';
import type { SkaffoldConfig } from './skaffold';

/**
 * What `skaffold render [-p profile]` prints, without Skaffold (no registry here serves it:
 * docs/deploy.md): the profile's kustomize paths built (after the render hooks, which generate
 * the dev overlay's secrets, as renderOverlay does), each container image that names a build
 * artifact replaced by that artifact's built tag (Skaffold's image replacement matches the image
 * name without tag or digest; other images stay as they are).
 */
export function renderLikeSkaffold(config: SkaffoldConfig, profileName: string | undefined, tagOf: (image: string) => string): K8sObject[] {
  const profile = profileName ? config.profiles?.find((p) => p.name === profileName) : undefined;
  if (profileName && !profile) throw new Error(`skaffold.yaml has no profile ${profileName}`);
  const paths = profile?.manifests?.kustomize?.paths ?? config.manifests.kustomize?.paths ?? [];
  const artifacts = new Set(config.build.artifacts.map((a) => a.image));
  const objects = paths.flatMap((p) => {
    const overlay = OVERLAYS.find((o) => p === `infra/k8s/overlays/${o}`);
    return structuredClone(overlay ? renderOverlay(overlay) : kustomizeBuild(repoPath(p)));
  });
  for (const w of workloads(objects)) {
    for (const c of [...containersOf(w), ...(w.spec?.template.spec?.initContainers ?? [])]) {
      const name = (c.image ?? '').replace(/@.*$/, '').replace(/:[^/:]+$/, '');
      if (artifacts.has(name)) c.image = tagOf(name);
    }
  }
  return objects;
}
