import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBinary, freePort, spawnServer, waitForPort } from '@ticketing/dev-servers';

export interface StripeMock {
  host: string;
  port: number;
  protocol: 'http';
  stop(): Promise<void>;
}

/**
 * Starts Stripe's official API mock (`go install github.com/stripe/stripe-mock@latest`) on a
 * free loopback port. It validates every request against Stripe's OpenAPI schema. Given only
 * an HTTP address it would also open HTTPS on 0.0.0.0:12112, so HTTPS goes to a Unix socket.
 */
export async function startStripeMock(): Promise<StripeMock> {
  const bin = findBinary('stripe-mock');
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'stripe-mock-'));
  const proc = spawnServer(bin, ['-http-addr', `127.0.0.1:${port}`, '-https-unix', path.join(dir, 'https.sock')]);
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 30_000, proc.child);
  } catch (err) {
    const output = proc.output();
    await stop();
    throw new Error(`stripe-mock did not start: ${(err as Error).message}\n${output}`, { cause: err });
  }
  return { host: '127.0.0.1', port, protocol: 'http', stop };
}
