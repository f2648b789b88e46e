import { hashPassword, unknownUserHash, verifyPassword } from '../src/domain/password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts: one password hashes differently each time, and the hash does not contain it', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toContain('same password');
  });

  it('a malformed stored hash never matches (and never throws)', async () => {
    const good = await hashPassword('pw-123456');
    const [, n, r, p, salt, hash] = good.split('$');
    for (const bad of ['', 'plain', `bcrypt$${n}$${r}$${p}$${salt}$${hash}`, `scrypt$x$${r}$${p}$${salt}$${hash}`, `scrypt$${n}$${r}$${p}$${salt}$${hash.slice(8)}`]) {
      expect(await verifyPassword('pw-123456', bad)).toBe(false);
    }
  });

  it('the unknown-user hash is a real scrypt hash that matches nothing guessable', async () => {
    const dummy = await unknownUserHash();
    expect(dummy).toMatch(/^scrypt\$/);
    expect(await unknownUserHash()).toBe(dummy);
    expect(await verifyPassword('password123', dummy)).toBe(false);
  });
});
