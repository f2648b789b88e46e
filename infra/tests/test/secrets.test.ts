// No secret in the repository that a deployment would use. The tracked files (git ls-files)
// hold no Stripe secret key or webhook secret, private key, password in a URL, or literal
// under a secret-sounding key or env name in the manifests and workflows; the only exceptions
// are fake fixtures inside test files, listed one by one below. The dev overlay's Secrets come
// from files generated on the machine (infra/scripts/dev-secrets.sh) that git ignores.
import { readRepoFile } from '../src/repo';
import { isIgnoredByGit, isTestFile, scanRepository, scanText, trackedFiles, type Finding } from '../src/secret-scan';
import { parseYaml } from '../src/yaml';

/** Spelled in pieces, so that this file does not hold what it looks for. */
const joined = (...parts: string[]) => parts.join('');

/** Fake secrets in tests, each with why it is harmless. */
const ALLOWED: { file: string; value: string; why: string }[] = [
  { file: 'payments/test/helpers/environment.ts', value: joined('whsec', '_test_secret_for_payments_tests'), why: 'the webhook secret of the payments tests' },
  { file: 'payments/test/webhook.test.ts', value: joined('whsec', '_someone_else'), why: 'a wrong secret, to see a signature refused' },
];

const describeFinding = (f: Finding) => `${f.file}:${f.line} ${f.rule} ${f.value}`;
const isAllowed = (f: Finding) => ALLOWED.some((a) => a.file === f.file && a.value === f.value);

test('the tracked files hold no secret-looking value, apart from the listed fake fixtures in tests', () => {
  const files = trackedFiles();
  expect(files.length).toBeGreaterThan(100);
  const findings = scanRepository();
  expect(findings.filter((f) => !isAllowed(f)).map(describeFinding)).toEqual([]);
  // The allow-list stays honest: test files only, and no entry outlives its fixture.
  for (const a of ALLOWED) expect({ [a.file]: isTestFile(a.file) }).toEqual({ [a.file]: true });
  expect(ALLOWED.filter((a) => !findings.some((f) => f.file === a.file && f.value === a.value))).toEqual([]);
});

test('the scanner finds each kind of secret it looks for, and ignores references', () => {
  const rules = (file: string, text: string) => scanText(file, text).map((f) => `${f.rule} ${f.value}`);
  const pem = ['-----BEGIN', 'EC PRIVATE KEY-----'].join(' ');
  expect(rules('x.ts', `const k = '${'sk_'}live_${'a1B2c3D4e5F6g7H8'}';`)).toEqual([joined('stripe-secret-key sk_', 'live_a1B2c3D4e5F6g7H8')]);
  expect(rules('x.md', `STRIPE_WEBHOOK_SECRET=${'whsec'}_dev_only_insecure`)).toEqual([joined('stripe-webhook-secret whsec', '_dev_only_insecure')]);
  expect(rules('x.pem', `${pem}\nMHcCAQEE\n`)).toEqual([`private-key ${pem}`]);
  expect(rules('x.env', `KEY="${pem}\\nMHcCAQEE\\n"`)).toEqual([`private-key ${pem}`]);
  expect(rules('x.md', `KEY="${pem}\\n...\\n"`)).toEqual([]);
  expect(rules('x.env', `MONGO_URL=mongodb://orders:${'s3cr3t'}@orders-mongo-srv:27017/orders`)).toEqual(['credentials-in-url s3cr3t']);
  expect(rules('x.env', 'MONGO_URL=mongodb://orders:$(MONGO_PASSWORD)@orders-mongo-srv:27017/orders')).toEqual([]);
  expect(rules('infra/k8s/x.yaml', `env:\n  - name: MONGO_INITDB_ROOT_PASSWORD\n    value: ${'hunter2'}\n`)).toEqual(['secret-env-literal hunter2']);
  expect(rules('infra/k8s/x.yaml', `auth:\n  password: ${'hunter2'}\n`)).toEqual(['secret-key-literal hunter2']);
  expect(rules('.github/workflows/x.yml', 'with:\n  password: ${{ secrets.GITHUB_TOKEN }}\n')).toEqual([]);
  expect(rules('infra/k8s/overlays/x/kustomization.yaml', `secretGenerator:\n  - name: jwt-secret\n    literals:\n      - JWT_KEY=${'not-so-secret'}\n`)).toEqual([
    'secret-generator-literal JWT_KEY=not-so-secret',
  ]);
  expect(rules('x.md', 'STRIPE_KEY=sk_test_… and STRIPE_WEBHOOK_SECRET=whsec_...')).toEqual([]);
});

test("the dev overlay's Secrets come from files git ignores, which infra/scripts/dev-secrets.sh writes", () => {
  const tracked = new Set(trackedFiles());
  const kustomizations = [...tracked].filter((f) => /^infra\/k8s\/.*kustomization\.ya?ml$/.test(f));
  expect(kustomizations.length).toBeGreaterThanOrEqual(3);
  const sources: string[] = [];
  for (const file of kustomizations) {
    const k = parseYaml(readRepoFile(file), file) as { secretGenerator?: { name: string; literals?: string[]; envs?: string[]; files?: string[] }[] };
    for (const gen of k.secretGenerator ?? []) {
      expect({ [gen.name]: gen.literals ?? [] }).toEqual({ [gen.name]: [] });
      const dir = file.replace(/[^/]+$/, '');
      for (const source of [...(gen.envs ?? []), ...(gen.files ?? []).map((f) => f.replace(/^[^=]*=/, ''))]) sources.push(`${dir}${source}`);
    }
  }
  expect(sources.length).toBeGreaterThan(0);
  for (const source of sources) {
    expect({ [source]: { tracked: tracked.has(source), ignored: isIgnoredByGit(source) } }).toEqual({ [source]: { tracked: false, ignored: true } });
  }
  expect(readRepoFile('infra', 'scripts', 'dev-secrets.sh')).toMatch(/\/dev\/urandom/);
});
