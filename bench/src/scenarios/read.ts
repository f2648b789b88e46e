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

export interface GatewayRead {
  gateway: LoadResult;
  body: string;
  pageSize: number;
}

/** GET /api/tickets (the first page of the listed tickets, anonymous) through the gateway. */
export async function readThroughGateway(stack: BenchStack, sizes: Sizes): Promise<GatewayRead> {
  const first = await call<Ticket[]>(stack, 'GET', '/api/tickets');
  if (first.status !== 200 || !Array.isArray(first.body)) throw new Error(`GET /api/tickets answered ${first.status}`);
  const gateway = await load({ url: `${stack.gatewayUrl}/api/tickets`, connections: sizes.readConnections, duration: sizes.readSeconds });
  return { gateway, body: JSON.stringify(first.body), pageSize: first.body.length };
}

/** The very same body from a bare Node http server in a process of its own: the ceiling on this machine. */
export async function readBare(body: string, sizes: Sizes): Promise<LoadResult> {
  const bareServer = await startBareServer(body);
  try {
    return await load({ url: `${bareServer.url}/api/tickets`, connections: sizes.readConnections, duration: sizes.readSeconds });
  } finally {
    await bareServer.stop();
  }
}

export function readResult(g: GatewayRead, bare: LoadResult): ReadResult {
  return { gateway: g.gateway, bare, ratio: round(g.gateway.rps / bare.rps, 3), pageSize: g.pageSize, bodyBytes: Buffer.byteLength(g.body) };
}
