// The Gateway API CRDs in infra/k8s/gateway-api/crds are the standard channel of the Go module
// sigs.k8s.io/gateway-api at the version vendor-crds.sh pins (fetched through the Go module
// proxy): a hand edit, or a version bump without re-vendoring, fails here.
import { execFileSync } from 'node:child_process';
import { crdValidators } from '../src/crd-validate';
import { repoPath } from '../src/repo';

test('crds/ equals the module\'s config/crd/standard (vendor-crds.sh --check)', () => {
  const out = execFileSync('bash', [repoPath('infra', 'k8s', 'gateway-api', 'vendor-crds.sh'), '--check'], { encoding: 'utf8', timeout: 5 * 60_000 });
  expect(out).toMatch(/crds\/ is sigs\.k8s\.io\/gateway-api@v\d+\.\d+\.\d+'s standard channel/);
});

test('every served version of the Gateway, GatewayClass and HTTPRoute schemas compiles', () => {
  const kinds = [...crdValidators().keys()];
  for (const kind of ['Gateway', 'GatewayClass', 'HTTPRoute']) expect(kinds).toContain(`gateway.networking.k8s.io/v1/${kind}`);
});
