import { readFileSync, writeFileSync } from 'node:fs';

export interface LockEntry {
  version?: string;
  resolved?: string;
  link?: boolean;
  optional?: boolean;
  dev?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

export const readLockfile = (lockPath: string): Lockfile => JSON.parse(readFileSync(lockPath, 'utf8')) as Lockfile;

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

/** An installed package's entry, not the root, a workspace folder or a link to one. */
const isPackage = (lock: Lockfile, key: string) => key.includes('node_modules/') && !lock.packages[key].link;

/**
 * Optional dependencies the lock file has no entry for. npm writes an entry for every
 * platform's optional binary (@swc/core-darwin-arm64 …) when it resolves a package. A lock that
 * lacks some keeps lacking them: npm never looks below a workspace's direct dependencies for
 * missing optional ones, so they appear only when a change makes npm resolve that package
 * again (a lock diff nobody asked for). `npm ci` refuses such a lock ("Missing: … from lock file").
 */
export function missingOptionalEntries(lockPath: string): { name: string; version: string; requiredBy: string }[] {
  const lock = readLockfile(lockPath);
  const missing: { name: string; version: string; requiredBy: string }[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (entry.link) continue;
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      if (!resolveKey(lock, key, name)) missing.push({ name, version, requiredBy: key || '(root)' });
    }
  }
  return missing;
}

/** The lock keys of the installed packages that depend on the package at `key`. */
function dependentsOf(lock: Lockfile, key: string): string[] {
  const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  return Object.keys(lock.packages).filter((from) => {
    const e = lock.packages[from];
    const deps = { ...e.dependencies, ...e.optionalDependencies, ...e.peerDependencies, ...e.devDependencies };
    return !e.link && name in deps && resolveKey(lock, from, name) === key;
  });
}

/**
 * The entries to drop so that npm resolves them again and writes every optional entry they
 * lack: each package missing some, and every package between it and a workspace (npm resolves
 * a dropped package's dependencies only if they are missing too; it starts from the workspaces).
 */
export function entriesToResolveAgain(lockPath: string): string[] {
  const lock = readLockfile(lockPath);
  const drop = new Set<string>();
  const visit = (key: string) => {
    if (!isPackage(lock, key) || drop.has(key)) return;
    drop.add(key);
    dependentsOf(lock, key).forEach(visit);
  };
  for (const m of missingOptionalEntries(lockPath)) visit(m.requiredBy);
  return [...drop].sort();
}

/** Removes `keys` from the lock's packages (npm keeps its own order and formatting otherwise). */
export function dropEntries(lockPath: string, keys: string[]): void {
  const lock = readLockfile(lockPath);
  for (const key of keys) delete lock.packages[key];
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
}

/** JSON of a field with its keys in order: npm sorts dependency maps in the lock. */
const sortedJson = (value: unknown) =>
  JSON.stringify(value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : (value ?? null));

/**
 * Where the lock and the package.json files disagree: each workspace's (and the root's)
 * declared dependencies must be the lock's record of them, or `npm install` rewrites the lock.
 */
export function lockedManifestDrift(lockPath: string, manifest: (folder: string) => Record<string, unknown>): string[] {
  const lock = readLockfile(lockPath);
  const root = lock.packages[''] as LockEntry & { workspaces?: string[] };
  const problems: string[] = [];
  for (const folder of ['', ...(root.workspaces ?? [])]) {
    const pkg = manifest(folder);
    const locked = lock.packages[folder] as Record<string, unknown> | undefined;
    if (!locked) {
      problems.push(`${folder}: no lock entry`);
      continue;
    }
    for (const field of ['version', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'engines'] as const) {
      const want = sortedJson(pkg[field]);
      const have = sortedJson(locked[field]);
      if (want !== have) problems.push(`${folder || '(root)'} ${field}: package.json ${want}, lock ${have}`);
    }
  }
  return problems;
}
