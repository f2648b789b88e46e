// Regenerates package-lock.json so that `npm install` leaves it as it is, on a fresh clone too:
//   bash infra/scripts/relock.sh      (after changing or merging any package.json)
// 1. `npm install --package-lock-only`: the lock follows every package.json (nothing installed);
// 2. packages whose other-platform optional entries are missing (and those between them and a
//    workspace) are dropped and resolved again by npm, which then writes every platform's entry;
// 3. checks that npm now leaves the lock byte-identical and that nothing is missing.
// Versions move only where step 2 resolves again (within the package.json ranges); it says which.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dropEntries, entriesToResolveAgain, missingOptionalEntries, readLockfile } from '../src/lockfile';

const root = path.resolve(__dirname, '..', '..', '..');
const lockPath = path.join(root, 'package-lock.json');
const say = (line: string) => process.stdout.write(`[relock] ${line}\n`);

function npmLockOnly(): void {
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
}

const versions = () => new Map(Object.entries(readLockfile(lockPath).packages).map(([k, e]) => [k, e.version]));

const npmMajor = Number(execFileSync('npm', ['--version'], { cwd: root, encoding: 'utf8' }).split('.')[0]);
if (npmMajor < 11) {
  say(`npm ${npmMajor} found: the lock is written by npm 11 (Node 24's); run this with npm 11 or later`);
  process.exit(1);
}

npmLockOnly();
const before = versions();
for (let round = 1; round <= 5; round++) {
  const drop = entriesToResolveAgain(lockPath);
  if (drop.length === 0) break;
  say(`round ${round}: resolving again ${drop.map((k) => k.replace(/^node_modules\//, '')).join(', ')}`);
  dropEntries(lockPath, drop);
  npmLockOnly();
}
for (const [key, version] of versions()) {
  const was = before.get(key);
  if (was && version && was !== version) say(`${key.replace(/^node_modules\//, '')}: ${was} → ${version}`);
}

const missing = missingOptionalEntries(lockPath);
if (missing.length) {
  say(`still missing: ${missing.map((m) => `${m.name}@${m.version} (for ${m.requiredBy})`).join(', ')}`);
  process.exit(1);
}
const written = readFileSync(lockPath, 'utf8');
npmLockOnly();
if (readFileSync(lockPath, 'utf8') !== written) {
  say('npm install changed the lock again: not stable');
  process.exit(1);
}
say('package-lock.json is complete and npm install leaves it unchanged');
