// Each MongoDB runs with access control and a user per service: the mongo image's entrypoint
// creates the root user (MONGO_INITDB_ROOT_*) and runs the init script of the ConfigMap
// mongo-init, which creates the service's user (MONGO_INITDB_APP_*; the entrypoint unsets
// MONGO_INITDB_* before mongod starts) with readWrite on the service's database only;
// the service connects as that user, its password from the database's Secret. Checked on the
// rendered overlays (no real mongod runs here; the tests' MongoDB stand-in, mongo-java-server,
// has no access control at all), and the init script is run against a recording `db`.
import { runInNewContext } from 'node:vm';
import type { IConfigMap } from 'kubernetes-models/v1';
import { resolveContainerEnv } from '../src/env';
import { envVar, findObject, mainContainer, ofKind, podSpec, renderOverlay, workloads, type K8sObject, type Workload } from '../src/k8s';
import { OVERLAYS, readRepoFile, SERVICES, type Overlay } from '../src/repo';
import { SERVICE_CONFIG } from '../src/service-config';

const DATABASE_OWNERS = SERVICES.filter((svc) => SERVICE_CONFIG[svc].mongo);
const INIT_SCRIPT = readRepoFile('infra', 'k8s', 'base', 'mongo-init', 'create-app-user.js');
const unhashed = (name: string | undefined) => (name ?? '').replace(/-[a-z0-9]{10}$/, '');

interface CreatedUser {
  database: string;
  user: string;
  pwd: string;
  roles: unknown[];
}

/** Runs the init script as mongosh would, against a `db` that records createUser calls. */
function runInitScript(env: Record<string, string>): CreatedUser[] {
  const created: CreatedUser[] = [];
  const db = {
    getSiblingDB: (database: string) => ({
      createUser: (spec: { user: string; pwd: string; roles: unknown[] }) => created.push({ database, ...spec }),
    }),
  };
  runInNewContext(INIT_SCRIPT, { db, process: { env: { ...env } }, print: () => undefined });
  return created;
}

test('the init script creates one user with readWrite on its database, and refuses to run without its variables', () => {
  expect(runInitScript({ MONGO_INITDB_APP_DATABASE: 'orders', MONGO_INITDB_APP_USERNAME: 'orders', MONGO_INITDB_APP_PASSWORD: 'p4ss' })).toEqual([
    { database: 'orders', user: 'orders', pwd: 'p4ss', roles: [{ role: 'readWrite', db: 'orders' }] },
  ]);
  expect(() => runInitScript({ MONGO_INITDB_APP_DATABASE: 'orders', MONGO_INITDB_APP_USERNAME: 'orders' })).toThrow(/MONGO_INITDB_APP_PASSWORD/);
});

describe.each(OVERLAYS)('overlay %s: MongoDB users', (overlay: Overlay) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = renderOverlay(overlay);
  });

  test.each(DATABASE_OWNERS)('%s-mongo starts with access control, a root user and the init script of mongo-init', (svc) => {
    const mongo = findObject<Workload>(objects, 'StatefulSet', `${svc}-mongo`);
    const c = mainContainer(mongo);
    // The entrypoint initialises (and adds --auth) only when it runs mongod with root credentials.
    expect(c.args?.[0]).toBe('mongod');
    expect(envVar(c, 'MONGO_INITDB_ROOT_USERNAME')?.value).toBeTruthy();
    const secretOf = (name: string) => envVar(c, name)?.valueFrom?.secretKeyRef;
    expect({ name: unhashed(secretOf('MONGO_INITDB_ROOT_PASSWORD')?.name), key: secretOf('MONGO_INITDB_ROOT_PASSWORD')?.key }).toEqual({
      name: `${svc}-mongo-credentials`,
      key: 'MONGO_ROOT_PASSWORD',
    });
    expect({ name: unhashed(secretOf('MONGO_INITDB_APP_PASSWORD')?.name), key: secretOf('MONGO_INITDB_APP_PASSWORD')?.key }).toEqual({
      name: `${svc}-mongo-credentials`,
      key: 'MONGO_APP_PASSWORD',
    });
    expect(envVar(c, 'MONGO_INITDB_APP_DATABASE')?.value).toBe(svc);
    expect(envVar(c, 'MONGO_INITDB_APP_USERNAME')?.value).toBe(svc);

    const mount = c.volumeMounts?.find((m) => m.mountPath === '/docker-entrypoint-initdb.d');
    const volume = podSpec(mongo).volumes?.find((v) => v.name === mount?.name);
    const configMap = findObject<IConfigMap>(objects, 'ConfigMap', volume?.configMap?.name ?? '(none)');
    expect(unhashed(configMap.metadata.name)).toBe('mongo-init');
    expect(configMap.data).toEqual({ 'create-app-user.js': INIT_SCRIPT });
  });

  test.each(DATABASE_OWNERS)('%s connects as its own user, whose password the database was initialised with', (svc) => {
    const mongo = mainContainer(findObject<Workload>(objects, 'StatefulSet', `${svc}-mongo`));
    const service = mainContainer(findObject<Workload>(objects, 'Deployment', svc));
    const mongoEnv = resolveContainerEnv(mongo, objects).env;
    const serviceEnv = resolveContainerEnv(service, objects).env;

    const created = runInitScript(mongoEnv);
    expect(created).toEqual([{ database: svc, user: svc, pwd: mongoEnv.MONGO_INITDB_APP_PASSWORD, roles: [{ role: 'readWrite', db: svc }] }]);

    const url = new URL(serviceEnv.MONGO_URL);
    expect({
      user: url.username,
      password: decodeURIComponent(url.password),
      host: url.host,
      database: url.pathname,
      authSource: url.searchParams.get('authSource'),
    }).toEqual({ user: svc, password: created[0].pwd, host: `${svc}-mongo-srv:27017`, database: `/${svc}`, authSource: svc });
    // The same Secret and key on both sides (in prod both are operator-provided placeholders).
    expect(envVar(service, 'MONGO_PASSWORD')?.valueFrom?.secretKeyRef).toEqual(envVar(mongo, 'MONGO_INITDB_APP_PASSWORD')?.valueFrom?.secretKeyRef);
    if (overlay === 'dev') expect(mongoEnv.MONGO_INITDB_APP_PASSWORD).not.toBe(mongoEnv.MONGO_INITDB_ROOT_PASSWORD);
  });

  test('a database\'s credentials are read by that database and its service only, the root password by the database only', () => {
    const readers = new Map<string, string[]>();
    for (const w of workloads(objects)) {
      for (const e of mainContainer(w).env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref || !unhashed(ref.name).endsWith('-mongo-credentials')) continue;
        const entry = `${unhashed(ref.name)} ${ref.key}`;
        readers.set(entry, [...(readers.get(entry) ?? []), w.metadata.name].sort());
      }
    }
    const expected = new Map<string, string[]>();
    for (const svc of DATABASE_OWNERS) {
      expected.set(`${svc}-mongo-credentials MONGO_ROOT_PASSWORD`, [`${svc}-mongo`]);
      expected.set(`${svc}-mongo-credentials MONGO_APP_PASSWORD`, [svc, `${svc}-mongo`].sort());
    }
    expect(Object.fromEntries(readers)).toEqual(Object.fromEntries(expected));
  });

  if (overlay === 'dev') {
    test('every database has its own generated passwords', () => {
      const secrets = ofKind(objects, 'Secret').filter((s) => unhashed(s.metadata.name).endsWith('-mongo-credentials'));
      const values = secrets.flatMap((s) => Object.values((s as { data?: Record<string, string> }).data ?? {}));
      expect(secrets).toHaveLength(DATABASE_OWNERS.length);
      expect(values).toHaveLength(2 * DATABASE_OWNERS.length);
      expect(new Set(values).size).toBe(values.length);
    });
  }
});
