import { runService, type RunningService } from '@ticketing/common';
import { eventually } from '@ticketing/dev-servers';
import { expirationService } from '../src/service';
import { orderCreated, useWorkerTestEnv } from './support';

let service: RunningService | undefined;
// Declared before the servers' hooks so that it runs before they stop (hooks run in order).
afterAll(async () => {
  await service?.stop();
});
const env = useWorkerTestEnv();

/** What the manifests give the worker: its own NATS user and Redis user (and a loopback HTTP listener). */
const workerCredentials = () => ({
  HOST: '127.0.0.1',
  NATS_URL: env.nats.url,
  NATS_USER: 'expiration',
  NATS_PASSWORD: env.nats.credentials('expiration').pass,
  REDIS_URL: env.redis.urlFor('expiration'),
});

describe('the expiration worker as runService starts it', () => {
  it('serves probes (Redis in readiness), has no API, and expires orders', async () => {
    service = await runService(expirationService, {
      handleSignals: false,
      env: { ...workerCredentials(), PORT: '0', LOG_LEVEL: 'silent', EXPIRATION_RETRY_DELAY_MS: '100' },
    });
    const base = `http://127.0.0.1:${service.port}`;

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { redis: true, nats: true, started: true } });
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/api/orders`)).status).not.toBe(200);

    const event = orderCreated({ expiresAt: new Date(Date.now() - 1_000).toISOString() });
    await env.bus.ownersPublisher.publish('order.created', event);
    await eventually(async () => (await env.expirations(event.id)).length === 1);
  });

  it('reports not ready while Redis is down', async () => {
    const base = `http://127.0.0.1:${service!.port}`;
    await env.redis.stop();
    try {
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { redis: false } });
    } finally {
      await env.redis.start();
    }
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 200);
  });

  it('refuses to start without REDIS_URL', async () => {
    await expect(
      runService(expirationService, { handleSignals: false, env: { NATS_URL: env.nats.url, HOST: '127.0.0.1', PORT: '0' } }),
    ).rejects.toThrow(/REDIS_URL is required/);
  });
});
