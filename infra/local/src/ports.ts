import net from 'node:net';
import { freePort } from '@ticketing/dev-servers';

/** A port the stack needs is taken: one clear line, no stack trace. */
export class PortInUseError extends Error {
  constructor(port: number, what: string, variable: string) {
    super(`port ${port} (${what}) is already in use: stop what uses it or set ${variable}`);
    this.name = 'PortInUseError';
  }
}

export async function ensurePortFree(port: number, what: string, variable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  if (!free) throw new PortInUseError(port, what, variable);
}

/** `fixed` when given (checked free), else a free port (tests run stacks side by side). */
export async function portFor(fixed: number | undefined, what: string, variable: string): Promise<number> {
  if (fixed === undefined) return freePort();
  await ensurePortFree(fixed, what, variable);
  return fixed;
}
