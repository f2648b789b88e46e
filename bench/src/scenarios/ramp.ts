import { mintCookies, sleep, type Ticket } from '../api';
import { combine, load, type LoadResult, type RequestShape } from '../load';
import type { Sizes } from '../sizes';
import type { BenchStack } from '../stack';

export interface RampResult {
  load: LoadResult;
  /** 5xx + socket errors + timeouts (a 400 "already reserved" is a correct answer, not an error). */
  errors: number;
  ordersPlaced: number;
  orderAttempts: number;
}

/**
 * 0 → `rampConnections` connections over `rampSeconds`: a new batch of connections joins every
 * rampSeconds/rampSteps seconds and all run to the end. Each request is a GET /api/tickets or,
 * with probability rampOrderShare, a POST /api/orders for a random listed ticket by a random
 * buyer (most are already reserved → 400, as in real traffic on popular tickets).
 */
export async function rampScenario(stack: BenchStack, sizes: Sizes, tickets: Ticket[]): Promise<RampResult> {
  const cookies = mintCookies(stack, 500);
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  const setupRequest = (): RequestShape => {
    if (Math.random() < sizes.rampOrderShare) {
      return {
        method: 'POST' as const,
        path: '/api/orders',
        headers: { 'content-type': 'application/json', cookie: pick(cookies) },
        body: JSON.stringify({ ticketId: pick(tickets).id }),
      };
    }
    return { method: 'GET' as const, path: '/api/tickets', headers: {}, body: undefined };
  };

  const stepMs = (sizes.rampSeconds * 1000) / sizes.rampSteps;
  const perStep = Math.max(1, Math.round(sizes.rampConnections / sizes.rampSteps));
  const started = performance.now();
  const runs: Promise<LoadResult>[] = [];
  for (let step = 0; step < sizes.rampSteps; step++) {
    const elapsed = performance.now() - started;
    if (step * stepMs > elapsed) await sleep(step * stepMs - elapsed);
    const remainingS = Math.max(1, Math.round((sizes.rampSeconds * 1000 - (performance.now() - started)) / 1000));
    runs.push(load({ url: `${stack.gatewayUrl}/api/tickets`, connections: perStep, duration: remainingS, setupRequest }));
  }
  const results = await Promise.all(runs);
  const combined = combine(results, (performance.now() - started) / 1000);
  return {
    load: combined,
    errors: combined.errors + combined.serverErrors,
    ordersPlaced: combined.statusCounts['201'] ?? 0,
    // GETs answer 200; an order attempt 201, 400 (reserved) or 404.
    orderAttempts: Object.entries(combined.statusCounts).reduce((n, [code, c]) => (code === '200' ? n : n + c), 0),
  };
}
