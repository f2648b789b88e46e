import { natsPasswordVariable, NATS_USERS, REDIS_USER_NAMES, type NatsUser } from '@ticketing/common';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clusterNatsConfig, ensureClusterSecrets, redisPasswordVariable } from '../../scripts/secrets';
import { envVar, findObject, mainContainer, renderOverlay, type Workload } from '../src/k8s';
import { resolveContainerEnv } from '../src/env';
import { OVERLAYS, readRepoFile, SERVICES } from '../src/repo';

describe('the NATS authorization the manifests mount', () => {
  test('is what the event catalog renders (regenerate: node --import tsx infra/scripts/secrets.ts --nats-config > infra/k8s/base/nats/authorization.conf)', () => {
    expect(readRepoFile('infra', 'k8s', 'base', 'nats', 'authorization.conf')).toBe(clusterNatsConfig());
  });

  test('names every password by a variable, never a value, and has no anonymous user', () => {
    const text = clusterNatsConfig();
    for (const user of NATS_USERS) expect(text).toContain(`user: "${user}", password: $${natsPasswordVariable(user)}`);
    expect(text).not.toMatch(/no_auth_user/);
  });
});

describe('the generated cluster secrets (infra/scripts/secrets.ts)', () => {
  test('a NATS user added since they were written gets a password; existing ones are kept', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'secrets-'));
    try {
      expect(ensureClusterSecrets(dir)).toBe(true);
      const file = path.join(dir, 'nats.env');
      const before = readFileSync(file, 'utf8');
      // As written before the live user existed.
      writeFileSync(file, before.replace(/^NATS_PASSWORD_LIVE=.*\n/m, ''));
      expect(ensureClusterSecrets(dir)).toBe(true);
      const after = readFileSync(file, 'utf8');
      const vars = (text: string) => Object.fromEntries(text.trim().split('\n').map((l) => l.split('=')));
      for (const user of NATS_USERS) expect(vars(after)[natsPasswordVariable(user)]).toMatch(/^[0-9a-f]{48}$/);
      for (const [k, v] of Object.entries(vars(before))) if (k !== 'NATS_PASSWORD_LIVE') expect(vars(after)[k]).toBe(v);
      expect(ensureClusterSecrets(dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(OVERLAYS)('overlay %s: NATS and Redis credentials', (overlay) => {
  const objects = () => renderOverlay(overlay);
  const unhashed = (name?: string) => (name ?? '').replace(/-[a-z0-9]{10}$/, '');

  test('the NATS servers read the authorization file and get every password from nats-credentials', () => {
    const nats = findObject<Workload>(objects(), 'StatefulSet', 'nats');
    const c = mainContainer(nats);
    expect(c.args?.slice(0, 2)).toEqual(['-c', '/etc/nats/authorization.conf']);
    expect(c.envFrom?.map((e) => unhashed(e.secretRef?.name))).toEqual(['nats-credentials']);
    const volume = nats.spec!.template.spec!.volumes!.find((v) => v.configMap);
    expect(unhashed(volume?.configMap?.name)).toBe('nats-authorization');
    expect(c.volumeMounts?.find((m) => m.name === volume?.name)?.mountPath).toBe('/etc/nats');
  });

  test.each(SERVICES)('%s connects to NATS as its own user, with its own password', (service) => {
    const c = mainContainer(findObject<Workload>(objects(), 'Deployment', service));
    expect(envVar(c, 'NATS_USER')?.value).toBe(service);
    const ref = envVar(c, 'NATS_PASSWORD')?.valueFrom?.secretKeyRef;
    expect([unhashed(ref?.name), ref?.key]).toEqual(['nats-credentials', natsPasswordVariable(service as NatsUser)]);
  });

  test('Redis loads the ACL from redis-acl; auth and expiration connect as their own Redis users, the others not at all', () => {
    const redis = findObject<Workload>(objects(), 'StatefulSet', 'redis');
    const c = mainContainer(redis);
    expect(c.args).toEqual(expect.arrayContaining(['--aclfile', '/etc/redis/acl/users.acl']));
    expect(unhashed(redis.spec!.template.spec!.volumes!.find((v) => v.secret)?.secret?.secretName)).toBe('redis-acl');
    for (const service of SERVICES) {
      const container = mainContainer(findObject<Workload>(objects(), 'Deployment', service));
      const url = resolveContainerEnv(container, objects()).env.REDIS_URL;
      if (service !== 'auth' && service !== 'expiration') {
        expect({ [service]: url }).toEqual({ [service]: undefined });
        continue;
      }
      expect(new URL(url).username).toBe(service);
      const ref = envVar(container, 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef;
      expect([unhashed(ref?.name), ref?.key]).toEqual(['redis-credentials', redisPasswordVariable(service)]);
    }
    expect(REDIS_USER_NAMES).toEqual(expect.arrayContaining(['auth', 'expiration']));
  });
});
