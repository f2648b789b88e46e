import { loadConfig } from '@ticketing/common';
import { generateSessionKeyPair, testSessionEnv } from '@ticketing/dev-servers';
import { ticketCodeKeyFrom, ticketsConfigSchema } from '../src/config';

const codeKey = generateSessionKeyPair('codes-1');
const load = (env: Record<string, string>) => loadConfig(ticketsConfigSchema(env), { ...testSessionEnv(), ...env });
const codeEnv = { TICKET_CODE_SIGNING_KEY: codeKey.privateKeyPem, TICKET_CODE_KEY_ID: codeKey.kid };

describe('tickets configuration', () => {
  it('reads the code key, its id and the resale cap', () => {
    const config = load({ ...codeEnv, TICKET_RESALE_CAP_PERCENT: '25' });
    expect(config.TICKET_RESALE_CAP_PERCENT).toBe(25);
    expect(ticketCodeKeyFrom(config)).toEqual({ kid: 'codes-1', privateKey: expect.objectContaining({ type: 'private' }) });
  });

  it('outside production both may be unset (no codes); the cap may be unset (no cap)', () => {
    const config = load({ TICKET_RESALE_CAP_PERCENT: '' });
    expect(config.TICKET_RESALE_CAP_PERCENT).toBeUndefined();
    expect(ticketCodeKeyFrom(config)).toBeUndefined();
  });

  it('in production the code key and its id are required', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow(/TICKET_CODE_SIGNING_KEY is required.*TICKET_CODE_KEY_ID is required/);
    expect(ticketCodeKeyFrom(load({ NODE_ENV: 'production', ...codeEnv }))?.kid).toBe('codes-1');
  });

  it('refuses a key that is not P-256, a bad key id, a cap outside 0..1000, never repeating the key', () => {
    expect(() => load({ ...codeEnv, TICKET_CODE_SIGNING_KEY: 'not a key' })).toThrow(/TICKET_CODE_SIGNING_KEY must be an EC P-256 private key/);
    expect(() => load({ ...codeEnv, TICKET_CODE_KEY_ID: 'has space' })).toThrow(/TICKET_CODE_KEY_ID/);
    for (const cap of ['-1', '1001', '2.5', 'lots']) expect(() => load({ TICKET_RESALE_CAP_PERCENT: cap })).toThrow(/TICKET_RESALE_CAP_PERCENT/);
    let message = '';
    try {
      load({ ...codeEnv, TICKET_CODE_SIGNING_KEY: codeKey.publicKeyPem });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/TICKET_CODE_SIGNING_KEY/);
    expect(message).not.toContain('BEGIN');
  });

  it('the key and its id go together', () => {
    expect(() => ticketCodeKeyFrom(load({ TICKET_CODE_SIGNING_KEY: codeKey.privateKeyPem }))).toThrow(/must be set together/);
    expect(() => ticketCodeKeyFrom(load({ TICKET_CODE_KEY_ID: 'x' }))).toThrow(/must be set together/);
  });

  it('refuses a session key as the code key: this service must never be able to sign a session', () => {
    const session = generateSessionKeyPair('session-1');
    const config = load({ ...testSessionEnv({ pair: session }), TICKET_CODE_SIGNING_KEY: session.privateKeyPem, TICKET_CODE_KEY_ID: 'codes-2' });
    expect(() => ticketCodeKeyFrom(config)).toThrow(/must not be a session key/);
  });
});
