import { call, type Ticket } from '../api';
import { startBareServer } from '../bare-server';
import { load, type LoadResult } from '../load';
import type { Sizes } from '../sizes';
import type { BenchStack } from '../stack';
import { round } from '../stats';

export interface ReadResult {
  gateway: LoadResult;
  bare: LoadResult;
  /** Gateway req/s ÷ bare req/s. */
  ratio: number;
  pageSize: number;
  bodyBytes: number;
}

/**
 * GET /api/tickets (the first page of the listed tickets) through the gateway, then the very
 * same body from a bare Node http server in a process of its own: the ceiling on this machine.
 */
export async function readScenario(stack: BenchStack, sizes: Sizes): Promise<ReadResult> {
  const first = await call<Ticket[]>(stack, 'GET', '/api/tickets');
  if (first.status !== 200 || !Array.isArray(first.body)) throw new Error(`GET /api/tickets answered ${first.status}`);
  const body = JSON.stringify(first.body);

  const gateway = await load({
    url: `${stack.gatewayUrl}/api/tickets`,
    connections: sizes.readConnections,
    duration: sizes.readSeconds,
  });
  const bareServer = await startBareServer(body);
  let bare: LoadResult;
  try {
    bare = await load({ url: `${bareServer.url}/api/tickets`, connections: sizes.readConnections, duration: sizes.readSeconds });
  } finally {
    await bareServer.stop();
  }
  return { gateway, bare, ratio: round(gateway.rps / bare.rps, 3), pageSize: first.body.length, bodyBytes: Buffer.byteLength(body) };
}
