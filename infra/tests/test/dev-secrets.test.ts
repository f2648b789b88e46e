// Development secrets are generated on the machine, never committed: the dev overlay's by
// infra/scripts/dev-secrets.sh (git-ignored files), the local stack's at its first start (kept
// in the state folder). Both keep a value once written (a database keeps the password it was
// initialised with) and write files only their owner can read.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devSecret, generateWebhookSecret } from '../../local/src/dev-secrets';
import { repoPath } from '../src/repo';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dev-secrets-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const readEnvFiles = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

test('dev-secrets.sh writes random hex values for every dev Secret, owner-only, and keeps them on the next run', () => {
  // A copy of the script in an empty tree: it writes next to itself, as in the repository.
  mkdirSync(path.join(tmp, 'infra', 'scripts'), { recursive: true });
  const script = path.join(tmp, 'infra', 'scripts', 'dev-secrets.sh');
  copyFileSync(repoPath('infra', 'scripts', 'dev-secrets.sh'), script);
  execFileSync('bash', [script], { stdio: 'ignore' });
  const dir = path.join(tmp, 'infra', 'k8s', 'overlays', 'dev', 'secrets');
  const first = readEnvFiles(dir);
  expect(Object.keys(first).sort()).toEqual(['auth-mongo.env', 'orders-mongo.env', 'payments-mongo.env', 'stripe.env', 'tickets-mongo.env']);
  const values: string[] = [];
  for (const [file, text] of Object.entries(first)) {
    expect({ [file]: statSync(path.join(dir, file)).mode & 0o077 }).toEqual({ [file]: 0 });
    for (const line of text.trim().split('\n')) {
      const [key, value] = line.split('=');
      expect(`${key}=${value}`).toMatch(/^[A-Z_]+=(whsec_)?[0-9a-f]{48,}$/);
      values.push(value);
    }
  }
  expect(new Set(values).size).toBe(values.length);
  execFileSync('bash', [script], { stdio: 'ignore' });
  expect(readEnvFiles(dir)).toEqual(first);
});

test("the local stack's webhook secret is generated once per state folder, owner-only", () => {
  const a = devSecret(tmp, 'STRIPE_WEBHOOK_SECRET', generateWebhookSecret);
  expect(a).toMatch(/^whsec_[0-9a-f]{48}$/);
  expect(devSecret(tmp, 'STRIPE_WEBHOOK_SECRET', generateWebhookSecret)).toBe(a);
  expect(statSync(path.join(tmp, 'secrets', 'STRIPE_WEBHOOK_SECRET')).mode & 0o077).toBe(0);
  const other = mkdtempSync(path.join(tmpdir(), 'dev-secrets-'));
  try {
    expect(devSecret(other, 'STRIPE_WEBHOOK_SECRET', generateWebhookSecret)).not.toBe(a);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
