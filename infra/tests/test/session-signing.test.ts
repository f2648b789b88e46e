// Only auth can mint a session: no code a non-auth service runs can sign a session token,
// and no non-auth service's configuration reads or keeps a session signing key. The one other
// signer, tickets (e-ticket codes), signs only through @ticketing/common/signing with a key
// of its own that its configuration refuses when it is a session key (tickets/test/config.test.ts).
import path from 'node:path';
import { testSessionEnv } from '@ticketing/dev-servers';
import { importGraph, type GraphModule } from '../src/import-graph';
import { repoPath, ROOT, SERVICES } from '../src/repo';
import { parseServiceConfig } from '../src/service-config';

/** What signing a session needs: a private key, jsonwebtoken's sign, a signing key variable, the test helpers. */
const SIGNING = [/\bjwt\.sign\s*\(/, /\bsign\s*\(/, /createPrivateKey/, /createSign\b/, /generateKeyPair/, /SESSION_SIGNING_KEY/, /PRIVATE KEY/];

function signingIn(graph: GraphModule[]): string[] {
  const found: string[] = [];
  for (const m of graph) {
    const code = m.source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // comments may mention the key
    for (const pattern of SIGNING) if (pattern.test(code)) found.push(`${path.relative(ROOT, m.file)}: ${pattern}`);
    if (m.file.startsWith(repoPath('dev-servers') + path.sep)) found.push(`${path.relative(ROOT, m.file)}: test helpers`);
  }
  return found;
}

const NON_AUTH = SERVICES.filter((s) => s !== 'auth');
/** Signing code a non-auth service may reach: tickets signs e-ticket codes through common's signing entry. */
const ALLOWED_SIGNING: Partial<Record<string, string[]>> = {
  tickets: [path.join('common', 'src', 'signing', 'index.ts')],
};
const allowedFor = (svc: string) => (finding: string) => (ALLOWED_SIGNING[svc] ?? []).some((file) => finding.startsWith(`${file}: `));

describe('only auth can sign a session', () => {
  test.each(NON_AUTH)('%s: nothing reachable from src/index.ts can sign (no private key, no jwt.sign, no test helpers)', (svc) => {
    const graph = importGraph(repoPath(svc, 'src', 'index.ts'));
    expect(graph.length).toBeGreaterThan(10); // the walk really followed the imports into common
    expect(graph.some((m) => m.file.endsWith(path.join('common', 'src', 'sessions', 'verify.ts'))) || svc === 'expiration').toBe(true);
    expect(signingIn(graph).filter((f) => !allowedFor(svc)(f))).toEqual([]);
  });

  test('tickets signs only through common/src/signing, which the walk does see (control)', () => {
    const found = signingIn(importGraph(repoPath('tickets', 'src', 'index.ts')));
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/common\/src\/signing\/index\.ts: .*jwt/)]));
    expect(found.every(allowedFor('tickets'))).toBe(true);
  });

  test('control: the same walk finds auth’s signer (through common’s signing entry)', () => {
    const graph = importGraph(repoPath('auth', 'src', 'index.ts'));
    expect(graph.some((m) => m.file.endsWith(path.join('auth', 'src', 'domain', 'session-signer.ts')))).toBe(true);
    expect(signingIn(graph)).toEqual(expect.arrayContaining([expect.stringMatching(/common\/src\/signing\/index\.ts: .*jwt/)]));
  });

  test.each(NON_AUTH)('%s: its configuration drops a signing key it is given', (svc) => {
    const env = {
      ...testSessionEnv({ signing: true }),
      NATS_URL: 'nats://nats-srv:4222',
      MONGO_URL: `mongodb://${svc}-mongo-srv:27017/${svc}`,
      REDIS_URL: 'redis://redis-srv:6379',
    };
    const config = parseServiceConfig(svc, env) as Record<string, unknown>;
    // tickets' own code key (TICKET_CODE_SIGNING_KEY) is another variable, unset here.
    expect(Object.entries(config).filter(([k, v]) => /SIGNING|PRIVATE/.test(k) && v !== undefined)).toEqual([]);
    expect(Object.keys(config)).not.toContain('SESSION_SIGNING_KEY');
  });

  test('common’s runtime exports include no signing function (signing lives in @ticketing/common/signing and @ticketing/dev-servers)', () => {
    const common = require('@ticketing/common') as Record<string, unknown>;
    expect(Object.keys(common).filter((name) => /^sign|Sign(?!al)|private/i.test(name) && !/^signal/i.test(name))).toEqual([]);
    expect(typeof common.verifySessionToken).toBe('function');
  });
});
