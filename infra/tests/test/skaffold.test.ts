// skaffold.yaml: current schema, one artifact per image built from the repository root (the
// services from the shared service Dockerfile, the client from its own), file sync for `skaffold dev` into the image's dev stage, the dev overlay by
// default and a prod profile. Skaffold itself cannot be installed here (no registry this
// machine reaches serves it: docs/deploy.md), so the file is checked against the v4beta13
// configuration schema's field names (skaffold's pkg/skaffold/schema/latest/config.go), against
// the repository and infra/images/build.sh (the same images), and `skaffold render` is
// reproduced (src/skaffold-render.ts) and its output checked.
import { existsSync } from 'node:fs';
import { repositoryFiles } from '../src/docker-context';
import { execForm, finalStage, imageRecipe, loadDockerfile, parseDockerfile, stageNamed } from '../src/dockerfile';
import { globToRegExp } from '../src/glob';
import { IMAGES, readRepoFile, repoPath, THIRD_PARTY_IMAGES, type ImageName } from '../src/repo';
import { loadSkaffold, type JsonPatch, type SkaffoldConfig } from '../src/skaffold';
import { renderLikeSkaffold } from '../src/skaffold-render';
import { containersOf, workloads } from '../src/k8s';
import { validateK8sObject } from '../src/k8s-validate';
import { imageNames } from '../src/images';

/** Allowed keys per object kind (v4beta13), for the parts of the schema this file may use. */
const FIELDS: Record<string, string[]> = {
  config: ['apiVersion', 'kind', 'metadata', 'requires', 'build', 'test', 'manifests', 'deploy', 'portForward', 'resourceSelector', 'verify', 'customActions', 'profiles'],
  metadata: ['name', 'labels', 'annotations'],
  build: ['artifacts', 'insecureRegistries', 'tagPolicy', 'platforms', 'local', 'googleCloudBuild', 'cluster'],
  local: ['push', 'tryImportMissing', 'useDockerCLI', 'useBuildkit', 'concurrency'],
  artifact: ['image', 'context', 'sync', 'requires', 'hooks', 'platforms', 'runtimeType', 'docker'],
  docker: ['dockerfile', 'target', 'buildArgs', 'network', 'addHost', 'cacheFrom', 'cacheTo', 'cliFlags', 'pullParent', 'noCache', 'squash', 'secrets', 'ssh'],
  sync: ['manual', 'infer', 'auto', 'hooks'],
  syncRule: ['src', 'dest', 'strip'],
  manifests: ['rawYaml', 'kustomize', 'helm', 'kpt', 'transform', 'validate', 'output', 'hooks'],
  kustomize: ['paths', 'buildArgs'],
  deploy: ['docker', 'helm', 'kpt', 'kubectl', 'cloudrun', 'statusCheck', 'statusCheckDeadlineSeconds', 'tolerateFailuresUntilDeadline', 'kubeContext', 'logs'],
  kubectl: ['flags', 'defaultNamespace', 'hooks'],
  kubectlFlags: ['global', 'apply', 'delete', 'disableValidation'],
  profile: ['name', 'activation', 'requiresAllActivations', 'patches', 'build', 'test', 'manifests', 'deploy', 'portForward', 'resourceSelector', 'verify', 'customActions'],
  activation: ['env', 'kubeContext', 'command'],
  renderHooks: ['before', 'after'],
  renderHook: ['host'],
  hostHook: ['command', 'os', 'dir'],
  patch: ['op', 'path', 'from', 'value'],
};

function unknownFields(config: SkaffoldConfig): string[] {
  const out: string[] = [];
  const check = (obj: unknown, kind: keyof typeof FIELDS, where: string) => {
    if (!obj || typeof obj !== 'object') return;
    for (const key of Object.keys(obj)) if (!FIELDS[kind].includes(key)) out.push(`${where}.${key}`);
  };
  const checkBuild = (build: SkaffoldConfig['build'] | undefined, where: string) => {
    if (!build) return;
    check(build, 'build', where);
    check(build.local, 'local', `${where}.local`);
    build.artifacts?.forEach((a, i) => {
      check(a, 'artifact', `${where}.artifacts[${i}]`);
      check(a.docker, 'docker', `${where}.artifacts[${i}].docker`);
      check(a.sync, 'sync', `${where}.artifacts[${i}].sync`);
      a.sync?.manual?.forEach((r, j) => check(r, 'syncRule', `${where}.artifacts[${i}].sync.manual[${j}]`));
    });
  };
  const checkPipeline = (p: Partial<SkaffoldConfig>, where: string) => {
    checkBuild(p.build, `${where}build`);
    check(p.manifests, 'manifests', `${where}manifests`);
    check(p.manifests?.kustomize, 'kustomize', `${where}manifests.kustomize`);
    check(p.manifests?.hooks, 'renderHooks', `${where}manifests.hooks`);
    for (const phase of ['before', 'after'] as const) {
      p.manifests?.hooks?.[phase]?.forEach((h, i) => {
        check(h, 'renderHook', `${where}manifests.hooks.${phase}[${i}]`);
        check(h.host, 'hostHook', `${where}manifests.hooks.${phase}[${i}].host`);
      });
    }
    check(p.deploy, 'deploy', `${where}deploy`);
    check(p.deploy?.kubectl, 'kubectl', `${where}deploy.kubectl`);
    check(p.deploy?.kubectl?.flags, 'kubectlFlags', `${where}deploy.kubectl.flags`);
  };
  check(config, 'config', '');
  check(config.metadata, 'metadata', 'metadata');
  checkPipeline(config, '');
  config.profiles?.forEach((p, i) => {
    check(p, 'profile', `profiles[${i}]`);
    p.activation?.forEach((a, j) => check(a, 'activation', `profiles[${i}].activation[${j}]`));
    p.patches?.forEach((patch, j) => check(patch, 'patch', `profiles[${i}].patches[${j}]`));
    checkPipeline(p as Partial<SkaffoldConfig>, `profiles[${i}].`);
  });
  return out;
}

/** RFC 6902 add/replace/remove on a copy (what Skaffold does with profile patches). */
function applyPatches(config: SkaffoldConfig, patches: JsonPatch[]): SkaffoldConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const patch of patches) {
    const parts = patch.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let node: Record<string, unknown> = copy;
    for (const part of parts) {
      if (!(part in node)) throw new Error(`${patch.op} ${patch.path}: ${part} does not exist`);
      node = node[part] as Record<string, unknown>;
    }
    if (patch.op === 'add' || patch.op === 'replace') {
      if (patch.op === 'replace' && !(last in node)) throw new Error(`replace ${patch.path}: nothing to replace`);
      node[last] = patch.value;
    } else if (patch.op === 'remove') {
      if (!(last in node)) throw new Error(`remove ${patch.path}: nothing to remove`);
      delete node[last];
    } else throw new Error(`unsupported op ${patch.op}`);
  }
  return copy as unknown as SkaffoldConfig;
}

const skaffold = loadSkaffold();
const profile = (name: string) => skaffold.profiles?.find((p) => p.name === name);

test('uses the current schema (skaffold/v4beta11 or newer) and only fields it defines', () => {
  expect(skaffold.kind).toBe('Config');
  const m = /^skaffold\/v4beta(\d+)$/.exec(skaffold.apiVersion);
  expect(Number(m?.[1])).toBeGreaterThanOrEqual(11);
  expect(unknownFields(skaffold)).toEqual([]);
  for (const p of skaffold.profiles ?? []) expect(unknownFields(applyPatches(skaffold, p.patches ?? []))).toEqual([]);
});

test('builds one artifact per image, from the repository root: the services from the shared Dockerfile with SERVICE, the client from its own', () => {
  expect(skaffold.build.artifacts.map((a) => a.image)).toEqual(IMAGES.map((i) => `ticketing/${i}`));
  for (const a of skaffold.build.artifacts) {
    expect(a.context).toBe('.');
    const recipe = imageRecipe(a.image.replace('ticketing/', ''));
    expect({ dockerfile: a.docker?.dockerfile, buildArgs: a.docker?.buildArgs ?? {} }).toEqual(recipe);
    expect(existsSync(repoPath(a.docker!.dockerfile!))).toBe(true);
    expect(a.docker?.target).toBeUndefined(); // production image unless the dev profile says otherwise
  }
});

test('builds the images infra/images/build.sh builds: same Dockerfiles, their runtime stage by default, NODE_IMAGE left at its official default', () => {
  const buildSh = readRepoFile('infra', 'images', 'build.sh');
  const services = /for service in ([a-z ]+); do/.exec(buildSh)?.[1].split(' ');
  expect([...services!, 'client'].map((s) => `ticketing/${s}`)).toEqual(skaffold.build.artifacts.map((a) => a.image));
  expect(buildSh).toContain('--target runtime');
  for (const a of skaffold.build.artifacts) {
    const dockerfile = a.docker!.dockerfile!;
    const text = readRepoFile(...dockerfile.split('/'));
    // Without a target Docker builds the last stage: build.sh's --target runtime.
    expect(finalStage(parseDockerfile(text, dockerfile, a.docker?.buildArgs)).name).toBe('runtime');
    // The official image unless the builder says otherwise (build.sh passes the stand-in).
    expect(text).toMatch(/^ARG NODE_IMAGE=node:\d+-bookworm-slim$/m);
    expect(Object.keys(a.docker?.buildArgs ?? {})).not.toContain('NODE_IMAGE');
  }
});

describe('skaffold render (reproduced: src/skaffold-render.ts)', () => {
  const tag = imageNames().PROJECT_TAG;
  test.each([['(default)', undefined], ['-p prod', 'prod']] as const)('%s: every object valid, built images tagged, others pinned third-party or CI-pushed', (_label, name) => {
    const objects = renderLikeSkaffold(skaffold, name, (image) => `${image}:${tag}`);
    const problems: string[] = [];
    for (const obj of objects) {
      try {
        validateK8sObject(obj);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    expect(problems).toEqual([]);
    const images = new Set(workloads(objects).flatMap((w) => [...containersOf(w), ...(w.spec?.template.spec?.initContainers ?? [])].map((c) => c.image!)));
    const built = skaffold.build.artifacts.map((a) => `${a.image}:${tag}`);
    const ci = [...images].filter((i) => /^ghcr\.io\/[a-z0-9-]+\/ticketing-[a-z]+:[\w.-]+$/.test(i));
    if (name === 'prod') expect(ci).toHaveLength(built.length); // prod names the images CI pushes (docs/deploy.md)
    else expect(built.every((i) => images.has(i))).toBe(true);
    expect([...images].filter((i) => !built.includes(i) && !ci.includes(i) && !THIRD_PARTY_IMAGES.includes(i))).toEqual([]);
    // The edge: the Gateway and its routes (dev: with Traefik, the Gateway API CRDs).
    expect(objects.filter((o) => o.kind === 'Gateway').map((o) => o.metadata.name)).toEqual(['ticketing']);
    if (!name) expect(objects.filter((o) => o.kind === 'CustomResourceDefinition').length).toBeGreaterThan(0);
  });
});

test('deploys the dev overlay with kubectl by default; the prod profile renders the prod overlay', () => {
  expect(skaffold.manifests.kustomize?.paths).toEqual(['infra/k8s/overlays/dev']);
  expect(skaffold.deploy.kubectl).toBeDefined();
  // The Gateway API CRDs of the dev overlay are too large for a client-side apply's annotation.
  expect(skaffold.deploy.kubectl?.flags?.apply).toContain('--server-side');
  expect(profile('prod')?.manifests?.kustomize?.paths).toEqual(['infra/k8s/overlays/prod']);
  for (const p of [...skaffold.manifests.kustomize!.paths!, ...profile('prod')!.manifests!.kustomize!.paths!]) {
    expect(existsSync(repoPath(p, 'kustomization.yaml'))).toBe(true);
  }
});

test("generates every one of the dev overlay's secrets (git-ignored files) before rendering it", () => {
  const before = (skaffold.manifests.hooks?.before ?? []).map((h) => h.host?.command);
  // The databases' passwords and the webhook secret; the NATS/Redis users; the session key pair.
  const generators = [
    ['bash', 'infra/scripts/dev-secrets.sh'],
    ['node', '--import', 'tsx', 'infra/scripts/secrets.ts'],
    ['node', '--import', 'tsx', 'infra/local/src/session-keys-cli.ts'],
  ];
  for (const command of generators) {
    expect(before).toContainEqual(command);
    expect(existsSync(repoPath(command[command.length - 1]))).toBe(true);
  }
});

describe('skaffold dev', () => {
  const dev = profile('dev')!;
  const devConfig = applyPatches(skaffold, dev.patches ?? []);
  const files = repositoryFiles();

  test('is activated by the command and builds every image at its dev stage', () => {
    expect(dev.activation).toEqual([{ command: 'dev' }]);
    for (const a of devConfig.build.artifacts) expect({ [a.image]: a.docker?.target }).toEqual({ [a.image]: 'dev' });
  });

  test.each(IMAGES)('%s: syncs its sources into the dev container, which watches them', (name: ImageName) => {
    const artifact = devConfig.build.artifacts.find((a) => a.image === `ticketing/${name}`)!;
    const df = loadDockerfile(name);
    const devStage = stageNamed(df, artifact.docker!.target!);
    const workdir = [...devStage.instructions].reverse().find((i) => i.keyword === 'WORKDIR')!.args;
    const rules = artifact.sync?.manual ?? [];
    expect(rules.length).toBeGreaterThan(0);
    if (name !== 'client') expect(rules.map((r) => r.src)).toEqual([`${name}/src/**/*.ts`]);
    // The dev stage makes the synced tree writable for its user (the stage starts in /app).
    const chowned = devStage.instructions.find((i) => i.keyword === 'RUN' && i.args.startsWith('chown -R 1000:1000 '))!.args.split(' ').pop()!;
    expect(devStage.instructions.find((i) => i.keyword === 'USER')?.args).toBe('1000:1000');
    for (const rule of rules) {
      const matched = files.filter((f) => globToRegExp(rule.src).test(f));
      expect({ [rule.src]: matched.length > 0 }).toEqual({ [rule.src]: true });
      expect(rule.strip && rule.src.startsWith(rule.strip)).toBeTruthy();
      expect(rule.dest).toBe(workdir);
      for (const f of matched) {
        const inImage = `${rule.dest}/${f.slice(rule.strip!.length)}`;
        expect(inImage.startsWith(`/app/${chowned}/`)).toBe(true);
        expect(inImage).toBe(`/app/${f}`); // where the build stage put the same file
      }
    }
    const cmd = execForm(devStage.instructions.find((i) => i.keyword === 'CMD')!).join(' ');
    expect(cmd).toMatch(name === 'client' ? /next dev/ : /tsx watch src\/index\.ts/);
  });
});
