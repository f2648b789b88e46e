import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManagedProcess } from '@ticketing/dev-servers';

export interface BareServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts bare-server-process.js in a process of its own serving `body`. */
export async function startBareServer(body: string): Promise<BareServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketing-bare-'));
  const file = path.join(dir, 'body.json');
  writeFileSync(file, body);
  let announced: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((resolve) => (announced = resolve));
  const proc = new ManagedProcess(
    { name: 'bare-server', command: process.execPath, args: [path.join(__dirname, 'bare-server-process.js'), file], env: process.env },
    (_name, line) => announced(line),
  ).start();
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  // Its first line says which port it listens on.
  const line = await Promise.race([firstLine, proc.exited().then((status) => Promise.reject(new Error(`bare server exited (${status}): ${proc.output()}`)))]).catch(
    async (err: Error) => {
      await stop();
      throw err;
    },
  );
  return { url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, stop };
}
