// package-lock.json must be what `npm install` writes, so that an install (prepare.sh, a fresh
// clone, CI) never rewrites it. Drift has two causes, each checked here: a package.json changed
// without the lock, and a lock without some platform's optional packages (npm adds them only
// when something makes it resolve that package again). `bash infra/scripts/relock.sh` fixes both.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { entriesToResolveAgain, lockedManifestDrift, missingOptionalEntries, readLockfile } from '../src/lockfile';
import { readRepoFile, repoPath } from '../src/repo';

const LOCK = repoPath('package-lock.json');
const manifest = (folder: string) => JSON.parse(readRepoFile(path.join(folder, 'package.json'))) as Record<string, unknown>;
const workspaces = () => (manifest('') as { workspaces: string[] }).workspaces;

describe('package-lock.json', () => {
  test("has every platform's optional packages (@next/swc-darwin-arm64 …), as npm writes them when it resolves", () => {
    expect(missingOptionalEntries(LOCK)).toEqual([]);
  });

  test("records exactly the dependencies every package.json declares (the root's and each workspace's)", () => {
    expect(lockedManifestDrift(LOCK, manifest)).toEqual([]);
  });

  test('records no registry address: the project .npmrc omits it, so the lock is the same whoever writes it', () => {
    expect(readRepoFile('.npmrc')).toMatch(/^omit-lockfile-registry-resolved=true$/m);
    const withAddress = Object.entries(readLockfile(LOCK).packages).filter(([, e]) => !e.link && e.resolved !== undefined);
    expect(withAddress.map(([key]) => key)).toEqual([]);
  });

  test('npm install leaves it byte-identical (run offline on a copy of the manifests: nothing to resolve)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'infra-lock-'));
    try {
      for (const folder of ['', ...workspaces()]) {
        mkdirSync(path.join(dir, folder), { recursive: true });
        copyFileSync(repoPath(folder, 'package.json'), path.join(dir, folder, 'package.json'));
      }
      copyFileSync(repoPath('.npmrc'), path.join(dir, '.npmrc'));
      copyFileSync(LOCK, path.join(dir, 'package-lock.json'));
      execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: dir,
        stdio: 'pipe',
      });
      expect(readFileSync(path.join(dir, 'package-lock.json'), 'utf8') === readFileSync(LOCK, 'utf8')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('relock (infra/scripts/relock.sh): what it has npm resolve again', () => {
  test('a package missing an optional entry, and every package between it and a workspace; nothing else', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'infra-relock-'));
    try {
      const lockPath = path.join(dir, 'package-lock.json');
      const lock = {
        lockfileVersion: 3,
        packages: {
          '': { workspaces: ['svc'] },
          svc: { dependencies: { queue: '^4.0.0', web: '^16.0.0' } },
          'node_modules/svc': { resolved: 'svc', link: true },
          // svc → queue → codec → codec-native, whose darwin binary is missing; its linux one is there
          'node_modules/queue': { version: '4.1.0', dependencies: { codec: '^1.0.0' } },
          'node_modules/codec': { version: '1.2.0', optionalDependencies: { 'codec-native': '^3.0.0' } },
          'node_modules/codec-native': { version: '3.0.7', optional: true, optionalDependencies: { 'codec-native-darwin': '3.0.7', 'codec-native-linux': '3.0.7' } },
          'node_modules/codec-native-linux': { version: '3.0.7', optional: true },
          // a complete one, untouched
          'node_modules/web': { version: '16.4.6', optionalDependencies: { 'web-swc-linux': '16.4.6' } },
          'node_modules/web-swc-linux': { version: '16.4.6', optional: true },
        },
      };
      writeFileSync(lockPath, JSON.stringify(lock));
      expect(missingOptionalEntries(lockPath)).toEqual([{ name: 'codec-native-darwin', version: '3.0.7', requiredBy: 'node_modules/codec-native' }]);
      expect(entriesToResolveAgain(lockPath)).toEqual(['node_modules/codec', 'node_modules/codec-native', 'node_modules/queue']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
