import { Router } from 'express';
import type { Metrics } from '../telemetry';

export type ReadinessChecks = Record<string, () => boolean | Promise<boolean>>;

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers (200) or not (503,
 * naming the failing ones). `/metrics`: Prometheus text. Not under /api, so the ingress
 * never exposes them.
 */
export function probesRouter(checks: () => ReadinessChecks, metrics: Metrics): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.send({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results: Record<string, boolean> = {};
    for (const [name, check] of Object.entries(checks())) {
      try {
        results[name] = await check();
      } catch {
        results[name] = false;
      }
    }
    const ready = Object.keys(results).length > 0 && Object.values(results).every(Boolean);
    res.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
