import { cachedSessionVerifier } from '../src';
import { signTestSessionToken, testSessionKey, testSessionKeys } from '@ticketing/dev-servers';

const user = { id: '66a1f0c2e4b0a1b2c3d4e5f6', email: 'cached@test.example' };

describe('cachedSessionVerifier: the same answers as verifySessionToken, remembered for accepted tokens', () => {
  const pair = testSessionKey();
  const keys = testSessionKeys(pair);

  it('accepts a genuine token again from memory until its exp, and refuses it from then on', async () => {
    const verify = cachedSessionVerifier(keys);
    // At least 2 s ahead: `floor(now) + 1` could leave a millisecond, and a loaded machine
    // spends more than that between signing and the first check.
    const exp = Math.ceil(Date.now() / 1000) + 2;
    const token = signTestSessionToken({ ...user, iat: exp - 60, exp }, { pair });
    expect(verify(token)).toMatchObject(user);
    expect(verify(token)).toMatchObject(user);
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 50));
    expect(verify(token)).toBeNull();
  });

  it('never remembers a refusal: a tampered, foreign or expired token is refused every time', () => {
    const verify = cachedSessionVerifier(keys);
    const now = Math.floor(Date.now() / 1000);
    const genuine = signTestSessionToken({ ...user, iat: now, exp: now + 600 }, { pair });
    const [h, p, s] = genuine.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...user, id: 'someone-else', iat: now, exp: now + 600 })).toString('base64url')}.${s}`;
    const foreign = signTestSessionToken({ ...user, iat: now, exp: now + 600 }, { pair, kid: 'unknown-kid' });
    const expired = signTestSessionToken({ ...user, iat: now - 700, exp: now - 100 }, { pair });
    expect(verify(`${h}.${p}.${s}`)).toMatchObject(user);
    for (let i = 0; i < 2; i++) {
      expect(verify(tampered)).toBeNull();
      expect(verify(foreign)).toBeNull();
      expect(verify(expired)).toBeNull();
    }
  });
});
