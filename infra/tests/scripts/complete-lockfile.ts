// Adds the entries `npm ci` needs for other platforms' optional binaries (@swc/core-darwin-arm64
// …) to package-lock.json when the registry used for `npm install` did not offer them.
// Usage (repository root): npx tsx infra/tests/scripts/complete-lockfile.ts
import path from 'node:path';
import { completeLockfile, missingOptionalEntries } from '../src/lockfile';

const lock = path.resolve(__dirname, '..', '..', '..', 'package-lock.json');
const added = completeLockfile(lock);
process.stdout.write(added.length ? `added ${added.length} entries:\n  ${added.join('\n  ')}\n` : 'nothing to add\n');
const left = missingOptionalEntries(lock);
if (left.length) {
  process.stderr.write(`still missing (version ranges; run npm install where the registry has them):\n  ${left.map((m) => `${m.name}@${m.version}`).join('\n  ')}\n`);
  process.exit(1);
}
