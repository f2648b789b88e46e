// The pieces fit together: images ↔ Skaffold ↔ Dockerfiles, each service's required
// configuration ↔ its Deployment's environment, Services ↔ container ports, HTTPRoutes and
// the Ingress component ↔ Services, probes ↔ the endpoints the processes really serve.
import { existsSync } from 'node:fs';
import type { IService } from 'kubernetes-models/v1';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import { type Gateway, type HTTPRoute } from '../src/gateway-api';
import { resolveContainerEnv } from '../src/env';
import {
  backendsOf,
  containersOf,
  deployments,
  describe_,
  envVar,
  findObject,
  mainContainer,
  ofKind,
  renderOverlay,
  withComponents,
  services,
  workloads,
  type K8sObject,
  type Workload,
} from '../src/k8s';
import { IMAGES, imageOf, OVERLAYS, readRepoFile, repoFileExists, repoPath, SERVICES, THIRD_PARTY_IMAGES, type Overlay } from '../src/repo';
import { parseServiceConfig, requiredVariables, runServiceCall, serviceConfigSchema, SERVICE_CONFIG } from '../src/service-config';
import { loadSkaffold } from '../src/skaffold';
import { imageRecipe } from '../src/dockerfile';
import { parseYaml } from '../src/yaml';

const skaffold = loadSkaffold();
const artifactImages = skaffold.build.artifacts.map((a) => a.image);

/** Prod names images ghcr.io/<owner>/ticketing-<name>:<tag>; back to the Skaffold name. */
function builtImageName(image: string): string | undefined {
  const dev = /^ticketing\/([a-z]+)$/.exec(image);
  if (dev) return image;
  const prod = /^ghcr\.io\/[a-z0-9-]+\/ticketing-([a-z]+):[\w.-]+$/.exec(image);
  return prod ? `ticketing/${prod[1]}` : undefined;
}

describe('images', () => {
  test.each(OVERLAYS)('every image of overlay %s is built by Skaffold from a Dockerfile, or a pinned third-party image', (overlay) => {
    const problems: string[] = [];
    const used = new Set<string>();
    for (const w of workloads(renderOverlay(overlay))) {
      for (const c of [...containersOf(w), ...(w.spec?.template.spec?.initContainers ?? [])]) {
        const image = c.image ?? '';
        if (THIRD_PARTY_IMAGES.includes(image)) continue;
        const built = builtImageName(image);
        if (!built || !artifactImages.includes(built)) problems.push(`${describe_(w)}: ${image} is not a Skaffold artifact`);
        else used.add(built);
      }
    }
    expect(problems).toEqual([]);
    expect([...used].sort()).toEqual([...artifactImages].sort());
  });

  test('Skaffold builds exactly one artifact per service and the client, from the repository root: services from the shared Dockerfile (SERVICE), the client from its own', () => {
    expect([...artifactImages].sort()).toEqual(IMAGES.map(imageOf).sort());
    for (const a of skaffold.build.artifacts) {
      const recipe = imageRecipe(a.image.replace('ticketing/', ''));
      expect(a.context ?? '.').toBe('.');
      expect({ dockerfile: a.docker?.dockerfile, buildArgs: a.docker?.buildArgs ?? {} }).toEqual(recipe);
      expect(repoFileExists(...recipe.dockerfile.split('/'))).toBe(true);
    }
  });

  test('the prod overlay renames each Skaffold image to the registry path CI pushes', () => {
    const kustomization = parseYaml(readRepoFile('infra', 'k8s', 'overlays', 'prod', 'kustomization.yaml'), 'prod kustomization') as {
      images: { name: string; newName: string; newTag: string }[];
    };
    expect(kustomization.images.map((i) => i.name).sort()).toEqual(IMAGES.map(imageOf).sort());
    for (const i of kustomization.images) expect(i.newName).toBe(i.name.replace(/^ticketing\//, 'ghcr.io/example/ticketing-'));
  });
});

describe.each(OVERLAYS)('configuration in overlay %s', (overlay: Overlay) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = renderOverlay(overlay);
  });

  test.each(SERVICES)('%s: every variable its config requires is set, and the values parse', (svc) => {
    const container = mainContainer(findObject<Workload>(objects, 'Deployment', svc));
    const { env, guaranteed } = resolveContainerEnv(container, objects);
    const required = requiredVariables(serviceConfigSchema(svc, env));
    // Sanity: the common requirements are really read from the sources.
    expect(required).toEqual(expect.arrayContaining(SERVICE_CONFIG[svc].mongo ? ['NATS_URL', 'MONGO_URL'] : ['NATS_URL']));
    expect(required.filter((name) => !guaranteed.has(name))).toEqual([]);
    expect(() => parseServiceConfig(svc, env)).not.toThrow();
  });

  test.each(SERVICES)('%s: talks to its own database, the NATS service and (where used) Redis by in-cluster names', (svc) => {
    const container = mainContainer(findObject<Workload>(objects, 'Deployment', svc));
    const value = (name: string) => envVar(container, name)?.value;
    expect(value('NATS_URL')).toBe('nats://nats-srv:4222');
    // As the service's own MongoDB user, its password from the database's Secret (test/mongo-users.test.ts).
    expect(value('MONGO_URL')).toBe(SERVICE_CONFIG[svc].mongo ? `mongodb://${svc}:$(MONGO_PASSWORD)@${svc}-mongo-srv:27017/${svc}?authSource=${svc}` : undefined);
    const schema = serviceConfigSchema(svc, {});
    // As the service's own Redis user, its password from the Secret (expanded by the kubelet).
    if ('REDIS_URL' in schema.shape) expect(value('REDIS_URL')).toBe(`redis://${svc}:$(REDIS_PASSWORD)@redis-srv:6379`);
    if ('SESSION_PUBLIC_KEYS' in schema.shape) expect(envVar(container, 'SESSION_PUBLIC_KEYS')?.valueFrom?.configMapKeyRef).toMatchObject({ key: 'SESSION_PUBLIC_KEYS' });
    // The signing key: auth's alone, from a Secret.
    for (const name of ['SESSION_SIGNING_KEY', 'SESSION_SIGNING_KEY_ID']) {
      if (name in schema.shape) expect(envVar(container, name)?.valueFrom?.secretKeyRef).toMatchObject({ key: name });
      else expect(envVar(container, name)).toBeUndefined();
    }
    expect(value('PORT')).toBe(String(container.ports?.find((p) => p.name === 'http')?.containerPort));
  });

  test('every in-cluster URL in an environment variable names a Service and one of its ports', () => {
    const problems: string[] = [];
    const svcs = services(objects);
    for (const w of workloads(objects)) {
      for (const c of containersOf(w)) {
        for (const e of c.env ?? []) {
          if (!e.value || !/^[a-z]+:\/\//.test(e.value)) continue;
          const url = new URL(e.value);
          if (url.hostname.includes('.')) continue; // outside this overlay (public or another namespace)
          const port = Number(url.port);
          const target = svcs.find((s) => s.metadata.name === url.hostname);
          if (!target) problems.push(`${describe_(w)} ${e.name}: no Service ${url.hostname}`);
          else if (!target.spec?.ports?.some((p) => p.port === port)) problems.push(`${describe_(w)} ${e.name}: ${url.hostname} has no port ${port}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test("the client reaches the API through the Gateway's Service with one of its routes' host names", () => {
    const client = mainContainer(findObject<Workload>(objects, 'Deployment', 'client'));
    const source = readRepoFile('client', 'lib', 'server-config.ts');
    for (const name of ['API_INTERNAL_URL', 'API_HOST_HEADER', 'NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY']) expect(source).toContain(name);
    const hosts = findObject<HTTPRoute>(objects, 'HTTPRoute', 'ticketing').spec.hostnames ?? [];
    const apiUrl = new URL(envVar(client, 'API_INTERNAL_URL')!.value!);
    if (apiUrl.protocol === 'https:') {
      expect(hosts).toContain(apiUrl.hostname); // the public address, over TLS
    } else {
      expect(apiUrl.hostname).toBe('gateway.gateway-system.svc.cluster.local');
      expect(hosts).toContain(envVar(client, 'API_HOST_HEADER')?.value);
      // dev runs the Gateway's implementation: that Service exists, on the listener's port.
      const gateway = findObject<Gateway>(objects, 'Gateway', 'ticketing');
      const svc = findObject<IService>(objects, 'Service', 'gateway');
      expect(svc.metadata.namespace).toBe('gateway-system');
      expect(svc.spec?.ports?.map((p) => p.port)).toContain(Number(apiUrl.port || 80));
      expect(gateway.spec.listeners.map((l) => l.port)).toContain(Number(apiUrl.port || 80));
    }
    expect(envVar(client, 'HOSTNAME')?.value).toBe('0.0.0.0');
  });

  test('every Service selects pods that declare its target port', () => {
    const problems: string[] = [];
    for (const svc of services(objects)) {
      const backends = backendsOf(svc, objects);
      if (backends.length === 0) problems.push(`${describe_(svc)}: selects no pods`);
      for (const w of backends) {
        const ports = containersOf(w).flatMap((c) => c.ports ?? []);
        for (const p of svc.spec?.ports ?? []) {
          const target = p.targetPort ?? p.port;
          const ok = ports.some((cp) => (typeof target === 'number' ? cp.containerPort === target : cp.name === target));
          if (!ok) problems.push(`${describe_(svc)} port ${p.name}: ${describe_(w)} declares no container port ${target}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('every StatefulSet is governed by an existing headless Service', () => {
    for (const sts of ofKind(objects, 'StatefulSet') as Workload[]) {
      const name = (sts.spec as { serviceName?: string }).serviceName!;
      expect(findObject<IService>(objects, 'Service', name).spec?.clusterIP).toBe('None');
    }
  });

  test('every HTTPRoute backend is an existing Service of the route\'s namespace, on a port it exposes, with pods', () => {
    const problems: string[] = [];
    for (const route of ofKind<HTTPRoute>(objects, 'HTTPRoute')) {
      for (const rule of route.spec.rules) {
        for (const b of rule.backendRefs ?? []) {
          const svc = services(objects).find((s) => s.metadata.name === b.name && s.metadata.namespace === route.metadata.namespace);
          if (!svc) problems.push(`${describe_(route)}: no Service ${b.name}`);
          else if (!svc.spec?.ports?.some((p) => p.port === b.port)) problems.push(`${describe_(route)}: ${b.name} has no port ${b.port}`);
          else if (backendsOf(svc, objects).length === 0) problems.push(`${describe_(route)}: ${b.name} selects no pods`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('every path of the Ingress component reaches an existing Service on a port it exposes', () => {
    const problems: string[] = [];
    for (const ingress of ofKind<IIngress>(withComponents(overlay, ['ingress']), 'Ingress')) {
      for (const rule of ingress.spec?.rules ?? []) {
        for (const p of rule.http?.paths ?? []) {
          const backend = p.backend.service!;
          const svc = services(objects).find((s) => s.metadata.name === backend.name);
          if (!svc) {
            problems.push(`${p.path}: no Service ${backend.name}`);
            continue;
          }
          const ok = svc.spec?.ports?.some((sp) => (backend.port?.name ? sp.name === backend.port.name : sp.port === backend.port?.number));
          if (!ok) problems.push(`${p.path}: ${backend.name} has no port ${JSON.stringify(backend.port)}`);
          if (backendsOf(svc, objects).length === 0) problems.push(`${p.path}: ${backend.name} selects no pods`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('probe paths are served: runService (services) serves /healthz and /readyz; the client serves its readiness path (the collector: its own, see manifests)', () => {
    const probes = readRepoFile('common', 'src', 'service', 'probes.ts');
    expect(probes).toMatch(/router\.get\('\/healthz'/);
    expect(probes).toMatch(/router\.get\('\/readyz'/);
    for (const d of deployments(objects)) {
      // The collector's probes ask its health_check extension (manifests.test.ts checks them).
      if (d.metadata.name === 'otel-collector') continue;
      const c = mainContainer(d);
      // Traefik (the dev overlay's Gateway) answers /ping on its `traefik` entry point.
      if (d.metadata.namespace === 'gateway-system') {
        expect(c.args).toEqual(expect.arrayContaining(['--ping=true', `--entryPoints.traefik.address=:${c.ports?.find((p) => p.name === 'traefik')?.containerPort}`]));
        for (const probe of [c.livenessProbe, c.readinessProbe]) expect(probe?.httpGet).toEqual({ path: '/ping', port: 'traefik' });
        continue;
      }
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
        const path = probe?.httpGet?.path;
        if (!path) continue;
        if (d.metadata.name === 'client') {
          // Next's App Router serves app/icon.svg at /icon.svg, app/x/route.ts at /x.
          const served = [`client/app${path}`, `client/public${path}`, `client/app${path}/route.ts`].some((f) => existsSync(repoPath(f)));
          expect({ [path]: served }).toEqual({ [path]: true });
        } else {
          expect(['/healthz', '/readyz']).toContain(path);
          expect(probe?.httpGet?.port).toBe('http');
        }
      }
    }
  });
});

describe('docs/deploy.md', () => {
  test('tells operators to create every secret and config map key the prod overlay needs', () => {
    const docs = readRepoFile('docs', 'deploy.md');
    const needed = new Set<string>();
    for (const w of workloads(renderOverlay('prod'))) {
      for (const c of containersOf(w)) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) needed.add(`secret generic ${ref.name} ${ref.key}`);
          const mapRef = e.valueFrom?.configMapKeyRef;
          if (mapRef) needed.add(`configmap ${mapRef.name} ${mapRef.key}`);
        }
      }
    }
    expect(needed.size).toBeGreaterThanOrEqual(4);
    for (const entry of needed) {
      const key = entry.split(' ').pop()!;
      const what = entry.slice(0, entry.length - key.length - 1);
      const name = what.split(' ').pop()!;
      // A literal or a file, or an env file that infra/scripts/secrets.ts generates with every key.
      const fromEnvFile = docs.includes(`create secret generic ${name} --from-env-file=`) && docs.includes('infra/scripts/secrets.ts');
      const documented = docs.includes(`create ${what}`) && (docs.includes(`--from-literal=${key}=`) || docs.includes(`--from-file=${key}=`) || fromEnvFile);
      expect({ [entry]: documented }).toEqual({ [entry]: true });
    }
    expect(docs).toContain('kubectl apply -k infra/k8s/overlays/prod');
    expect(docs).toContain('skaffold dev');
    expect(docs).toMatch(/rollout undo/);
  });
});

describe('service sources', () => {
  test.each(SERVICES)('%s: src/index.ts starts through runService with the configuration the tests read', (svc) => {
    const call = runServiceCall(svc);
    expect(call.config).toBe(SERVICE_CONFIG[svc].schemaExport);
    expect(call.mongo).toBe(SERVICE_CONFIG[svc].mongo);
  });
});
