// The kustomize overlays render, every object is valid Kubernetes (offline schema, unknown
// fields rejected), and the manifests follow the deployment rules: labels, probes, resources,
// security contexts, secrets outside the repository, and per-environment settings.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IConfigMap, IContainer, ISecret, IService } from 'kubernetes-models/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IStatefulSet } from 'kubernetes-models/apps/v1';
import {
  containersOf,
  deployments,
  describe_,
  envVar,
  findObject,
  kustomizeBuild,
  mainContainer,
  ofKind,
  podSpec,
  podTemplate,
  renderOverlay,
  selects,
  workloads,
  type K8sObject,
  type Workload,
} from '../src/k8s';
import { validateK8sObject } from '../src/k8s-validate';
import { routeTable, type Gateway, type HTTPRoute } from '../src/gateway-api';
import { parseYaml } from '../src/yaml';
import { IMAGES, OVERLAYS, repoPath, SERVICES, type Overlay } from '../src/repo';
import { SERVICE_CONFIG } from '../src/service-config';

const DATABASE_OWNERS = SERVICES.filter((s) => SERVICE_CONFIG[s].mongo);

const STATELESS = [...IMAGES] as string[];

/** Every Secret a workload reads: the session key, Stripe's keys, each database's passwords. */
const SECRET_NAMES = ['session-signing-key', 'ticket-code-key', 'stripe-secret', 'nats-credentials', 'redis-credentials', 'redis-acl', ...DATABASE_OWNERS.map((s) => `${s}-mongo-credentials`)];

describe.each(OVERLAYS)('overlay %s', (overlay: Overlay) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = renderOverlay(overlay);
  });

  test('renders with kustomize, and every object validates against the Kubernetes schema', () => {
    expect(objects.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const obj of objects) {
      try {
        validateK8sObject(obj);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    expect(problems).toEqual([]);
  });

  test('the validator itself rejects a misspelt field and a wrongly typed value', () => {
    const deployment = structuredClone(findObject(objects, 'Deployment', 'tickets'));
    expect(() => validateK8sObject(deployment)).not.toThrow();
    const container = mainContainer(deployment as Workload) as IContainer & Record<string, unknown>;
    container.readinesProbe = container.readinessProbe;
    expect(() => validateK8sObject(deployment)).toThrow(/unknown field.*readinesProbe/);
    delete container.readinesProbe;
    container.ports![0].containerPort = '3000' as unknown as number;
    expect(() => validateK8sObject(deployment)).toThrow(/containerPort must be integer/);
  });

  test('has a Deployment and a ClusterIP Service for every service and the client', () => {
    for (const name of STATELESS) {
      const deployment = findObject(objects, 'Deployment', name);
      const service = findObject<IService>(objects, 'Service', `${name}-srv`);
      expect(service.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
      expect(selects(service.spec?.selector, podTemplate(deployment as Workload).metadata?.labels)).toBe(true);
    }
  });

  test('has a MongoDB StatefulSet with a volume claim per database-owning service, NATS JetStream and Redis with AOF', () => {
    for (const svc of DATABASE_OWNERS) {
      const mongo = findObject<IStatefulSet>(objects, 'StatefulSet', `${svc}-mongo`);
      expect(mainContainer(mongo).image).toBe('mongo:7');
      expect(mongo.spec?.volumeClaimTemplates?.map((v) => v.metadata?.name)).toEqual(['data']);
      expect(mainContainer(mongo).volumeMounts).toContainEqual({ name: 'data', mountPath: '/data/db' });
      expect(findObject<IService>(objects, 'Service', `${svc}-mongo-srv`).spec?.ports?.[0].port).toBe(27017);
    }
    const nats = findObject<IStatefulSet>(objects, 'StatefulSet', 'nats');
    const natsContainer = mainContainer(nats);
    expect(natsContainer.image).toBe('nats:2.14-alpine');
    expect(natsContainer.args).toEqual(expect.arrayContaining(['-js', '-sd', '/data']));
    expect(natsContainer.args?.[natsContainer.args.indexOf('-sd') + 1]).toBe('/data');
    expect(natsContainer.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(nats.spec?.volumeClaimTemplates?.map((v) => v.metadata?.name)).toEqual(['data']);

    const redis = findObject<IStatefulSet>(objects, 'StatefulSet', 'redis');
    const redisContainer = mainContainer(redis);
    expect(redisContainer.image).toBe('redis:7.4-alpine');
    const args = redisContainer.args ?? [];
    expect(args[args.indexOf('--appendonly') + 1]).toBe('yes');
    expect(redisContainer.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(redis.spec?.volumeClaimTemplates?.map((v) => v.metadata?.name)).toEqual(['data']);
  });

  test('routes /api/users, /api/tickets, /api/orders, /api/payments and / through the Gateway', () => {
    const gateway = findObject<Gateway>(objects, 'Gateway', 'ticketing');
    expect(ofKind(objects, 'Gateway')).toHaveLength(1);
    expect(ofKind(objects, 'Ingress')).toEqual([]);
    // dev runs Traefik (components/gateway-traefik); prod leaves the class to the cluster.
    expect(gateway.spec.gatewayClassName).toBe(overlay === 'dev' ? 'traefik' : 'edge');
    const route = findObject<HTTPRoute>(objects, 'HTTPRoute', 'ticketing');
    const host = overlay === 'dev' ? 'ticketing.dev' : 'ticketing.example.com';
    expect(route.spec.hostnames).toEqual([host]);
    expect(route.spec.parentRefs).toEqual([overlay === 'dev' ? { name: 'ticketing' } : { name: 'ticketing', sectionName: 'https' }]);
    expect(routeTable(route)).toEqual([
      ['PathPrefix', '/api/users', 'auth-srv', 3000],
      ['PathPrefix', '/api/tickets', 'tickets-srv', 3000],
      ['PathPrefix', '/api/orders', 'orders-srv', 3000],
      ['PathPrefix', '/api/payments', 'payments-srv', 3000],
      ['PathPrefix', '/', 'client-srv', 3000],
    ]);
    expect(gateway.spec.listeners.map((l) => l.hostname)).toEqual(gateway.spec.listeners.map(() => host));
  });

  test('routes /api/live (event streams) through its own HTTPRoute without a request timeout, same host and listener', () => {
    const live = findObject<HTTPRoute>(objects, 'HTTPRoute', 'ticketing-live');
    const main = findObject<HTTPRoute>(objects, 'HTTPRoute', 'ticketing');
    expect(routeTable(live)).toEqual([['PathPrefix', '/api/live', 'live-srv', 3000]]);
    expect(live.spec.rules[0].timeouts).toEqual({ request: '0s' });
    expect(live.spec.hostnames).toEqual(main.spec.hostnames);
    expect(live.spec.parentRefs).toEqual(main.spec.parentRefs);
  });

  test('the schema check of custom objects rejects a misspelt field, a wrong type and a value outside its enum', () => {
    const route = structuredClone(findObject<HTTPRoute>(objects, 'HTTPRoute', 'ticketing'));
    expect(() => validateK8sObject(route)).not.toThrow();
    (route.spec.rules[0] as unknown as Record<string, unknown>).backendRef = route.spec.rules[0].backendRefs;
    expect(() => validateK8sObject(route)).toThrow(/unknown field \/spec\/rules\/0\/backendRef/);
    delete (route.spec.rules[0] as unknown as Record<string, unknown>).backendRef;
    (route.spec.rules[0].backendRefs[0] as Record<string, unknown>).port = '3000';
    expect(() => validateK8sObject(route)).toThrow(/port must be integer/);
    route.spec.rules[0].backendRefs[0].port = 3000;
    route.spec.rules[0].matches[0].path.type = 'Prefix';
    expect(() => validateK8sObject(route)).toThrow(/must be equal to one of the allowed values/);
  });

  test('labels every object with app.kubernetes.io/part-of, and workloads and their pods with name and component', () => {
    const missing: string[] = [];
    for (const obj of objects) {
      if (obj.kind === 'Secret') continue; // generated by the dev overlay's secretGenerator
      if (obj.metadata.labels?.['app.kubernetes.io/part-of'] !== 'ticketing') missing.push(`${describe_(obj)} part-of`);
    }
    for (const w of workloads(objects)) {
      for (const [where, labels] of [
        ['metadata', w.metadata.labels],
        ['pod template', podTemplate(w).metadata?.labels],
      ] as const) {
        for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of']) {
          if (!labels?.[key]) missing.push(`${describe_(w)} ${where} ${key}`);
        }
      }
      expect(selects(w.spec?.selector.matchLabels, podTemplate(w).metadata?.labels)).toBe(true);
    }
    expect(missing).toEqual([]);
  });

  test('gives every container probes, resource requests and limits, and a locked-down security context', () => {
    const problems: string[] = [];
    for (const w of workloads(objects)) {
      const spec = podSpec(w);
      const isApp = STATELESS.includes(w.metadata.name);
      // Only the Gateway's controller talks to the API server (its own ServiceAccount and role).
      const apiClient = w.metadata.namespace === 'gateway-system' && spec.serviceAccountName === 'traefik';
      if (spec.automountServiceAccountToken !== false && !apiClient) problems.push(`${describe_(w)}: service account token mounted`);
      for (const c of containersOf(w)) {
        const where = `${describe_(w)}/${c.name}`;
        if (!c.livenessProbe) problems.push(`${where}: no livenessProbe`);
        if (!c.readinessProbe) problems.push(`${where}: no readinessProbe`);
        if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problems.push(`${where}: no cpu/memory requests`);
        if (!c.resources?.limits?.memory) problems.push(`${where}: no memory limit`);
        const sc = c.securityContext ?? {};
        if ((sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot`);
        if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation`);
        if (!sc.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities not dropped`);
        if ((sc.seccompProfile ?? spec.securityContext?.seccompProfile)?.type !== 'RuntimeDefault') problems.push(`${where}: seccomp`);
        // Read-only root everywhere, except the app containers of the dev overlay (Skaffold's
        // file sync writes into them).
        const readOnly = overlay === 'prod' || !isApp;
        if (readOnly && sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem`);
        if (isApp) {
          const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
          const volume = spec.volumes?.find((v) => v.name === tmp?.name);
          if (!volume?.emptyDir) problems.push(`${where}: no emptyDir at /tmp`);
          if (spec.securityContext?.runAsUser !== 1000) problems.push(`${where}: not the image's uid 1000`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('probes services on /healthz (liveness) and /readyz (readiness) of their http port', () => {
    for (const name of SERVICES) {
      const c = mainContainer(findObject<Workload>(objects, 'Deployment', name));
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    }
  });

  test('references the secrets by key and never commits their values', () => {
    const secrets = ofKind<ISecret>(objects, 'Secret');
    if (overlay === 'prod') expect(secrets).toEqual([]);
    // Dev: generated from git-ignored files (test/secrets.test.ts), one Secret per purpose.
    else expect(secrets.map((s) => s.metadata.name.replace(/-[a-z0-9]{10}$/, '')).sort()).toEqual([...SECRET_NAMES].sort());
    const usersOf = (name: string, from: 'secretKeyRef' | 'configMapKeyRef') =>
      deployments(objects)
        .filter((d) => envVar(mainContainer(d as Workload), name)?.valueFrom?.[from])
        .map((d) => d.metadata.name)
        .sort();
    // Only auth can sign a session; every HTTP service verifies.
    expect(usersOf('SESSION_SIGNING_KEY', 'secretKeyRef')).toEqual(['auth']);
    expect(usersOf('SESSION_SIGNING_KEY_ID', 'secretKeyRef')).toEqual(['auth']);
    // Only tickets signs e-ticket codes, with a key of its own.
    expect(usersOf('TICKET_CODE_SIGNING_KEY', 'secretKeyRef')).toEqual(['tickets']);
    expect(envVar(mainContainer(findObject<Workload>(objects, 'Deployment', 'tickets')), 'TICKET_CODE_SIGNING_KEY')?.valueFrom?.secretKeyRef?.name).toMatch(/^ticket-code-key/);
    expect(usersOf('SESSION_PUBLIC_KEYS', 'configMapKeyRef')).toEqual(['auth', 'live', 'orders', 'payments', 'tickets']);
    for (const w of workloads(objects)) {
      for (const e of mainContainer(w).env ?? []) {
        if (/KEY|SECRET|PASSWORD|TOKEN/.test(e.name)) expect({ [e.name]: e.value }).toEqual({ [e.name]: undefined });
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) expect(SECRET_NAMES).toContain((ref.name ?? '').replace(/-[a-z0-9]{10}$/, ''));
      }
    }
    const payments = mainContainer(findObject<Workload>(objects, 'Deployment', 'payments'));
    expect(envVar(payments, 'STRIPE_KEY')?.valueFrom?.secretKeyRef?.key).toBe('STRIPE_KEY');
    expect(envVar(payments, 'STRIPE_WEBHOOK_SECRET')?.valueFrom?.secretKeyRef?.key).toBe('STRIPE_WEBHOOK_SECRET');
  });

  test('runs an OpenTelemetry Collector that every service sends its spans to; the overlay says where they go', () => {
    const collector = findObject<Workload>(objects, 'Deployment', 'otel-collector');
    const c = mainContainer(collector);
    expect(c.image).toMatch(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/); // pinned, never latest
    const service = findObject<IService>(objects, 'Service', 'otel-collector-srv');
    expect(selects(service.spec?.selector, podTemplate(collector).metadata?.labels)).toBe(true);
    expect(service.spec?.ports?.map((p) => p.port).sort()).toEqual([4317, 4318]);
    for (const name of SERVICES) {
      expect({ [name]: envVar(mainContainer(findObject<Workload>(objects, 'Deployment', name)), 'OTEL_EXPORTER_OTLP_ENDPOINT')?.value }).toEqual({ [name]: 'http://otel-collector-srv:4318' });
    }
    // Its configuration: the base's pipeline, then the overlay's exporters, merged in that order.
    const configOf = (volume: string, key: string) => {
      const mapName = podSpec(collector).volumes!.find((v) => v.name === volume)!.configMap!.name!;
      return parseYaml(findObject<IConfigMap>(objects, 'ConfigMap', mapName).data![key], `${mapName}/${key}`) as CollectorConfig;
    };
    expect(c.args).toEqual(['--config=/etc/otelcol/collector.yaml', '--config=/etc/otelcol/exporters.yaml']);
    expect(c.volumeMounts?.map((m) => [m.mountPath, m.name, m.subPath])).toEqual([
      ['/etc/otelcol/collector.yaml', 'config', 'collector.yaml'],
      ['/etc/otelcol/exporters.yaml', 'exporters', 'exporters.yaml'],
    ]);
    const base = configOf('config', 'collector.yaml');
    const exporters = configOf('exporters', 'exporters.yaml');
    expect(Object.keys(base.receivers.otlp.protocols).sort()).toEqual(['grpc', 'http']);
    expect(base.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(base.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    // memory_limiter first: it must refuse data before anything else holds it.
    expect(base.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter', 'batch'] });
    expect(base.exporters).toBeUndefined();
    // The probes ask the health_check extension, on the port it listens on.
    expect(base.extensions.health_check.endpoint).toBe(`0.0.0.0:${c.ports!.find((p) => p.name === 'health')!.containerPort}`);
    const used = exporters.service.pipelines.traces.exporters;
    expect(used.length).toBeGreaterThan(0);
    for (const e of used) expect(exporters.exporters).toHaveProperty([e]);
    if (overlay === 'dev') expect(used).toEqual(['debug']);
    else expect(exporters.exporters).toEqual({ otlp_grpc: { endpoint: expect.stringMatching(/^[\w.-]+:4317$/) } });
  });

  test('sets NODE_ENV for every service (production in prod)', () => {
    for (const name of SERVICES) {
      const c = mainContainer(findObject<Workload>(objects, 'Deployment', name));
      expect(envVar(c, 'NODE_ENV')?.value).toBe(overlay === 'prod' ? 'production' : 'development');
    }
  });
});

/** The parts of an OpenTelemetry Collector configuration the manifests test reads. */
interface CollectorConfig {
  extensions: { health_check: { endpoint: string } };
  receivers: { otlp: { protocols: Record<'grpc' | 'http', { endpoint: string }> } };
  exporters?: Record<string, unknown>;
  service: { pipelines: { traces: { receivers?: string[]; processors?: string[]; exporters: string[] } } };
}

describe('overlay dev', () => {
  test('runs one replica of everything, with the images Skaffold builds', () => {
    const objects = renderOverlay('dev');
    for (const w of workloads(objects)) expect({ [w.metadata.name]: w.spec?.replicas }).toEqual({ [w.metadata.name]: 1 });
    for (const name of IMAGES) expect(mainContainer(findObject<Workload>(objects, 'Deployment', name)).image).toBe(`ticketing/${name}`);
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  test('its session key pair comes from generated files that git ignores: nothing committed a deployment would use', () => {
    const objects = renderOverlay('dev'); // generates the files first when missing (npm run k8s:dev-keys)
    const dir = path.join('infra', 'k8s', 'overlays', 'dev', 'secrets', 'session-keys');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repoPath(), encoding: 'utf8' });
    expect(git('ls-files', '--', path.dirname(dir)).trim()).toBe('');
    for (const file of ['signing-key.pem', 'signing-key-id', 'public-keys.json']) {
      expect(git('check-ignore', '-v', '--', path.join(dir, file))).toMatch(/\.gitignore/);
    }
    const secret = ofKind<ISecret>(objects, 'Secret').find((o) => o.metadata.name.startsWith('session-signing-key-'))!;
    const decoded = (key: string) => Buffer.from(secret.data![key], 'base64').toString();
    expect(decoded('SESSION_SIGNING_KEY')).toBe(readFileSync(repoPath(dir, 'signing-key.pem'), 'utf8'));
    expect(decoded('SESSION_SIGNING_KEY')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const map = ofKind<IConfigMap>(objects, 'ConfigMap').find((o) => o.metadata.name.startsWith('session-public-keys-'))!;
    expect(JSON.parse(map.data!.SESSION_PUBLIC_KEYS)).toHaveProperty(decoded('SESSION_SIGNING_KEY_ID'));
    expect(map.data!.SESSION_PUBLIC_KEYS).not.toContain('PRIVATE');
  });
});

describe('overlay prod', () => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = renderOverlay('prod');
  });

  test('lives in its own namespace under the restricted Pod Security Standard', () => {
    const ns = findObject(objects, 'Namespace', 'ticketing');
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const obj of objects) if (obj.kind !== 'Namespace') expect(`${describe_(obj)} in ${obj.metadata.namespace}`).toBe(`${describe_(obj)} in ticketing`);
  });

  test('runs at least 2 replicas of every stateless service: an autoscaler (autoscaling/v2) and a disruption budget each', () => {
    const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    const pdbs = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    for (const name of STATELESS) {
      const deployment = findObject<Workload>(objects, 'Deployment', name);
      // The autoscaler owns the count; a fixed one would be reset by every apply.
      expect({ [name]: deployment.spec?.replicas }).toEqual({ [name]: undefined });
      const hpa = hpas.find((h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === name);
      expect(hpa?.apiVersion).toBe('autoscaling/v2');
      expect(hpa?.spec?.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa!.spec!.maxReplicas).toBeGreaterThan(hpa!.spec!.minReplicas!);
      const pdb = pdbs.find((p) => selects(p.spec?.selector?.matchLabels, podTemplate(deployment).metadata?.labels));
      expect(pdb?.spec?.minAvailable ?? 0).toBeGreaterThanOrEqual(1);
      expect(pdb!.spec!.minAvailable).toBeLessThan(hpa!.spec!.minReplicas!);
    }
    for (const hpa of hpas) findObject(objects, hpa.spec!.scaleTargetRef.kind, hpa.spec!.scaleTargetRef.name);
  });

  test('runs NATS as a 3-node JetStream cluster with routes through a headless service, and streams with 3 replicas', () => {
    const nats = findObject<IStatefulSet>(objects, 'StatefulSet', 'nats');
    expect(nats.spec?.replicas).toBe(3);
    const headless = findObject<IService>(objects, 'Service', nats.spec!.serviceName!);
    expect(headless.spec?.clusterIP).toBe('None');
    expect(headless.spec?.publishNotReadyAddresses).toBe(true);
    const args = mainContainer(nats).args ?? [];
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(args).toEqual(expect.arrayContaining(['-js', '--cluster_name', '--cluster', '--routes', '--name']));
    expect(flag('--name')).toBe('$(POD_NAME)'); // unique server names, required by JetStream clustering
    expect(envVar(mainContainer(nats), 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    const routes = flag('--routes').split(',');
    expect(routes.sort()).toEqual([0, 1, 2].map((i) => `nats://nats-${i}.${headless.metadata.name}:6222`));
    expect(headless.spec?.ports?.map((p) => p.port)).toContain(6222);
    expect(mainContainer(nats).ports?.map((p) => p.containerPort)).toContain(6222);
    // Every process that creates streams (runService → ensureStreams) asks for 3 replicas.
    for (const d of deployments(objects)) {
      const c = mainContainer(d);
      if (envVar(c, 'NATS_URL')) expect({ [d.metadata.name]: envVar(c, 'NATS_STREAM_REPLICAS')?.value }).toEqual({ [d.metadata.name]: '3' });
    }
    const pdb = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget').find((p) => p.metadata.name === 'nats');
    expect(pdb?.spec?.maxUnavailable).toBe(1);
  });

  test('serves the Gateway over TLS with a cert-manager certificate; plain HTTP only redirects', () => {
    const gateway = findObject<Gateway>(objects, 'Gateway', 'ticketing');
    expect(gateway.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBeTruthy();
    const https = gateway.spec.listeners.find((l) => l.name === 'https')!;
    expect(https).toMatchObject({ protocol: 'HTTPS', port: 443, tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: expect.any(String) }] } });
    // Every route but the redirect attaches to the https listener only.
    const routes = ofKind<HTTPRoute>(objects, 'HTTPRoute');
    const redirect = findObject<HTTPRoute>(objects, 'HTTPRoute', 'ticketing-https-redirect');
    expect(redirect.spec.parentRefs).toEqual([{ name: 'ticketing', sectionName: 'http' }]);
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
    for (const r of routes.filter((x) => x !== redirect)) expect({ [r.metadata.name]: r.spec.parentRefs }).toEqual({ [r.metadata.name]: [{ name: 'ticketing', sectionName: 'https' }] });
  });

  test('pulls the images from ghcr.io, pinned by tag', () => {
    for (const name of IMAGES) {
      const image = mainContainer(findObject<Workload>(objects, 'Deployment', name)).image;
      expect(image).toMatch(new RegExp(`^ghcr\\.io/[a-z0-9-]+/ticketing-${name}:[\\w.-]+$`));
    }
  });
});

describe('base', () => {
  test('renders on its own and holds no secrets, autoscalers or environment-specific settings', () => {
    const objects = kustomizeBuild(repoPath('infra', 'k8s', 'base'));
    expect(ofKind(objects, 'Secret')).toEqual([]);
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
    for (const d of deployments(objects)) {
      const c: IContainer = mainContainer(d);
      expect(envVar(c, 'NODE_ENV')).toBeUndefined();
    }
  });
});
