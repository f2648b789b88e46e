import { readFileSync, writeFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  link?: boolean;
  optional?: boolean;
  dev?: boolean;
  optionalDependencies?: Record<string, string>;
}
interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** Where node would find `dep` from the package at lock key `from` (its node_modules, then up). */
function resolveKey(lock: Lockfile, from: string, dep: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${dep}`;
    if (lock.packages[key]) return key;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut >= 0 ? base.slice(0, cut) : '';
  }
}

/**
 * Optional dependencies the lock file has no entry for. npm writes an entry for every
 * platform's optional binary (@swc/core-darwin-arm64 …); a lock written where the registry
 * did not offer them lacks them, and `npm ci` then refuses the lock everywhere ("Missing: …
 * from lock file"), in CI and in every Docker build.
 */
export function missingOptionalEntries(lockPath: string): { name: string; version: string; requiredBy: string }[] {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as Lockfile;
  const missing: { name: string; version: string; requiredBy: string }[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (entry.link) continue;
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      if (!resolveKey(lock, key, name)) missing.push({ name, version, requiredBy: key || '(root)' });
    }
  }
  return missing;
}

/**
 * Adds an entry (exact version, optional) for each missing optional dependency pinned to an
 * exact version, next to the package that requires it. Returns what it added.
 */
export function completeLockfile(lockPath: string): string[] {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as Lockfile;
  const added: string[] = [];
  for (const m of missingOptionalEntries(lockPath)) {
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(m.version)) continue; // a range: npm must resolve it
    const key = `node_modules/${m.name}`;
    if (lock.packages[key]) continue;
    const parent = lock.packages[m.requiredBy === '(root)' ? '' : m.requiredBy];
    lock.packages[key] = { version: m.version, ...(parent?.dev ? { dev: true } : {}), optional: true };
    added.push(`${m.name}@${m.version}`);
  }
  const sorted: Record<string, LockEntry> = {};
  for (const k of Object.keys(lock.packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))) sorted[k] = lock.packages[k];
  lock.packages = sorted;
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  return added;
}
