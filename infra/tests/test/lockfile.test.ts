// package-lock.json here lacks the entries of other platforms' optional binaries
// (@swc/core-darwin-arm64 …): the registry this machine installs from does not serve them.
// npm 10 accepts such a lock; npm 11 (Node 24's: the node:24 images, CI's setup-node) has
// refused it in `npm ci` ("Missing: … from lock file"), though 11.19.1 here accepted it. The image
// build test therefore completes the lock in its copy of the repository; this checks that
// completion (also available as `npx tsx infra/tests/scripts/complete-lockfile.ts`).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { completeLockfile, missingOptionalEntries } from '../src/lockfile';
import { repoPath } from '../src/repo';

test('completing the lock adds exactly the missing optional entries, pinned and optional, and nothing else', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'infra-lock-'));
  try {
    const copy = path.join(dir, 'package-lock.json');
    copyFileSync(repoPath('package-lock.json'), copy);
    const before = JSON.parse(readFileSync(copy, 'utf8')) as { packages: Record<string, unknown> };
    const missing = missingOptionalEntries(copy);
    const added = completeLockfile(copy);
    expect(added.sort()).toEqual([...new Set(missing.map((m) => `${m.name}@${m.version}`))].sort());
    expect(missingOptionalEntries(copy)).toEqual([]);
    const after = JSON.parse(readFileSync(copy, 'utf8')) as { packages: Record<string, { version: string; optional?: boolean }> };
    for (const [key, entry] of Object.entries(before.packages)) expect(after.packages[key]).toEqual(entry);
    for (const key of Object.keys(after.packages).filter((k) => !(k in before.packages))) {
      expect(after.packages[key]).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), optional: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
