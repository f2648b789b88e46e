import { createHmac, generateKeyPairSync } from 'node:crypto';
import { baseConfigSchema, ConfigError, loadConfig, parseSessionPublicKeys, sessionConfigSchema, verifySessionToken } from '../src';
import { generateSessionKeyPair, sessionPublicKeysJson, signTestSessionToken, testSessionKey, testSessionKeys } from '@ticketing/dev-servers';

const user = { id: '66a1f0c2e4b0a1b2c3d4e5f6', email: 'victim@test.example' };
const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const claims = () => ({ ...user, iat: now(), exp: now() + 600 });

/** An HS256 token whose HMAC secret is `secret`: the classic algorithm-confusion forgery. */
function hs256(header: object, payload: object, secret: string): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

describe('verifySessionToken', () => {
  const keys = testSessionKeys();
  const pair = testSessionKey();

  it('accepts an unexpired ES256 token signed with a configured key and naming its kid', () => {
    expect(verifySessionToken(signTestSessionToken(claims()), keys)).toMatchObject(user);
  });

  const forged: Record<string, () => string> = {
    'alg none': () => `${b64({ alg: 'none', typ: 'JWT', kid: pair.kid })}.${b64(claims())}.`,
    'alg none, empty kid': () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`,
    'HS256 with the public key PEM as the HMAC secret': () => hs256({ alg: 'HS256', typ: 'JWT', kid: pair.kid }, claims(), pair.publicKeyPem),
    'HS256 with the public key PEM, header says ES256': () => hs256({ alg: 'ES256', typ: 'JWT', kid: pair.kid }, claims(), pair.publicKeyPem),
    'unknown kid (signed by its own key)': () => signTestSessionToken(claims(), { pair: generateSessionKeyPair('somebody-else') }),
    'known kid, signed by another key': () => signTestSessionToken(claims(), { pair: { ...generateSessionKeyPair(), kid: pair.kid } }),
    'no kid': () => signTestSessionToken(claims(), { kid: '' }),
    expired: () => signTestSessionToken({ ...user, iat: now() - 120, exp: now() - 60 }),
    'tampered payload': () => {
      const [h, , s] = signTestSessionToken(claims()).split('.');
      return `${h}.${b64({ id: 'admin', email: 'admin@test.example', exp: now() + 600 })}.${s}`;
    },
    'payload without email': () => signTestSessionToken({ id: user.id, exp: now() + 600 }),
    garbage: () => 'not.a.token',
  };
  it.each(Object.keys(forged))('rejects %s', (kind) => {
    expect(verifySessionToken(forged[kind](), keys)).toBeNull();
  });

  it('during a rotation both keys verify; once the old key is dropped, its tokens do not', () => {
    const oldKey = generateSessionKeyPair('2026-01');
    const newKey = generateSessionKeyPair('2026-02');
    const during = parseSessionPublicKeys(sessionPublicKeysJson(oldKey, newKey));
    const after = parseSessionPublicKeys(sessionPublicKeysJson(newKey));
    const oldToken = signTestSessionToken(claims(), { pair: oldKey });
    const newToken = signTestSessionToken(claims(), { pair: newKey });
    expect(verifySessionToken(oldToken, during)).toMatchObject(user);
    expect(verifySessionToken(newToken, during)).toMatchObject(user);
    expect(verifySessionToken(newToken, after)).toMatchObject(user);
    expect(verifySessionToken(oldToken, after)).toBeNull();
  });

  it('ignores expiry only when asked (sign-out revoking an expired but genuine session)', () => {
    const token = signTestSessionToken({ ...user, exp: now() - 60 });
    expect(verifySessionToken(token, keys)).toBeNull();
    expect(verifySessionToken(token, keys, { ignoreExpiration: true })).toMatchObject(user);
  });
});

describe('SESSION_PUBLIC_KEYS', () => {
  const pair = testSessionKey();

  it('reads an object kid → PEM and a list of {kid, pem}', () => {
    expect([...parseSessionPublicKeys(JSON.stringify({ [pair.kid]: pair.publicKeyPem })).keys()]).toEqual([pair.kid]);
    expect([...parseSessionPublicKeys(JSON.stringify([{ kid: 'a', pem: pair.publicKeyPem }, { kid: 'b', pem: generateSessionKeyPair().publicKeyPem }])).keys()]).toEqual(['a', 'b']);
  });

  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  it.each([
    ['not JSON', 'nope', /JSON/],
    ['empty object', '{}', /at least one/],
    ['a private key', JSON.stringify({ k: pair.privateKeyPem }), /PUBLIC KEY/],
    ['an RSA key', JSON.stringify({ k: rsa }), /P-256/],
    ['a P-384 key', JSON.stringify({ k: p384 }), /P-256/],
    ['a bad kid', JSON.stringify({ 'a b': pair.publicKeyPem }), /key id/],
    ['a broken PEM', JSON.stringify({ k: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }), /readable/],
  ])('refuses %s', (_label, text, message) => {
    expect(() => parseSessionPublicKeys(text)).toThrow(message);
  });

  it('a service configuration: required, named on error, and it never carries a signing key', () => {
    const schema = baseConfigSchema.extend(sessionConfigSchema.shape);
    expect(() => loadConfig(schema, {})).toThrow(ConfigError);
    expect(() => loadConfig(schema, {})).toThrow(/SESSION_PUBLIC_KEYS is required/);
    expect(() => loadConfig(schema, { SESSION_PUBLIC_KEYS: '{"k":"x"}' })).toThrow(/SESSION_PUBLIC_KEYS key k must be a PEM/);
    // Even if an operator hands a service the private key, its configuration drops it.
    const config = loadConfig(schema, { SESSION_PUBLIC_KEYS: sessionPublicKeysJson(), SESSION_SIGNING_KEY: pair.privateKeyPem, SESSION_SIGNING_KEY_ID: pair.kid });
    expect(Object.keys(config)).not.toContain('SESSION_SIGNING_KEY');
    expect(JSON.stringify(config)).not.toContain('PRIVATE KEY');
    expect(config.SESSION_PUBLIC_KEYS.get(pair.kid)?.type).toBe('public');
  });
});
