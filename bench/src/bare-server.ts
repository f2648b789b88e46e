import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface BareServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts bare-server-process.js in a process of its own serving `body`. */
export async function startBareServer(body: string): Promise<BareServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketing-bare-'));
  const file = path.join(dir, 'body.json');
  writeFileSync(file, body);
  const child = spawn(process.execPath, [path.join(__dirname, 'bare-server-process.js'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
