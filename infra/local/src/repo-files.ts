// The repository's own files, for every workspace that reads them (e2e, infra-tests, this one).
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is infra/local/src/repo-files.ts). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** KEY=value lines of a committed env file (infra/images/names.env, infra/compose/standins.env). */
export function readEnvFile(...parts: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of readFileSync(path.join(REPO_ROOT, ...parts), 'utf8').matchAll(/^([A-Z_]+)=(\S+)$/gm)) env[m[1]] = m[2];
  return env;
}
