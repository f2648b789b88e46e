// infra/scripts/go-tool.sh (prepare.sh's go_tool): a Go-built tool is rebuilt when prepare.sh
// pins another version than the one built, so a bumped pin (a Renovate pull request) is what
// runs, on machines that built the old one too.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBinary } from '@ticketing/dev-servers';
import { repoPath } from '../src/repo';

const PACKAGE = 'github.com/rhysd/actionlint/cmd/actionlint';
const built = findBinary('actionlint');
/** The module version the installed actionlint was built from (`go version -m`). */
const builtVersion = /^\s*mod\s+\S+\s+(\S+)/m.exec(execFileSync('go', ['version', '-m', built], { encoding: 'utf8' }))![1];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'go-tool-'));
  copyFileSync(built, path.join(dir, 'actionlint'));
  chmodSync(path.join(dir, 'actionlint'), 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs go-tool.sh into the temporary GOBIN, offline (GOPROXY=off, an empty module cache): a build it attempts fails at once. */
const goTool = (version: string) =>
  spawnSync('bash', [repoPath('infra', 'scripts', 'go-tool.sh'), 'actionlint', `${PACKAGE}@${version}`], {
    encoding: 'utf8',
    env: { ...process.env, GOBIN: dir, GOPROXY: 'off', GOFLAGS: '', GOMODCACHE: path.join(dir, 'modcache'), GOTOOLCHAIN: 'local' },
  });

test('keeps a binary built from the pinned version: no build', () => {
  const before = statSync(path.join(dir, 'actionlint')).mtimeMs;
  const run = goTool(builtVersion);
  expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: '' });
  expect(statSync(path.join(dir, 'actionlint')).mtimeMs).toBe(before);
});

test('rebuilds a binary built from another version than the pin', () => {
  const run = goTool('v1.0.0');
  expect(run.stdout).toContain(`go install ${PACKAGE}@v1.0.0`);
  // Offline here, so the build it started fails (rather than being skipped).
  expect(run.status).not.toBe(0);
  expect(run.stderr).toMatch(/GOPROXY=off|module lookup disabled/);
});
