import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.next' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const mtime = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/** Builds each workspace whose output is missing or older than its sources. */
export function buildWhatIsMissing(root: string, workspaces: string[], log: (line: string) => void): void {
  for (const ws of workspaces) {
    const dir = path.join(root, ws);
    // The client's output is the completed standalone server (static assets copied in).
    const output =
      ws === 'client' ? path.join(dir, '.next', 'standalone', 'client', '.next', 'static') : path.join(dir, 'dist', 'index.js');
    const sources = ws === 'client' ? newestMtime(dir) : newestMtime(path.join(dir, 'src'));
    if (mtime(output) >= sources && mtime(output) >= mtime(path.join(root, 'common', 'dist', 'index.js'))) continue;
    log(`building ${ws}`);
    execFileSync('npm', ['run', 'build', '--silent', '-w', `@ticketing/${ws}`], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  }
}
