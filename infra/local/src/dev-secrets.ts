import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A development secret, generated at the stack's first start and kept in
 * `<stateDir>/secrets/<name>` (owner-only), so nothing secret is committed and a restart keeps
 * the value. `npm start -- --reset` (which deletes the state) makes a new one.
 */
export function devSecret(stateDir: string, name: string, generate: () => string): string {
  const dir = path.join(stateDir, 'secrets');
  const file = path.join(dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFileSync(file, 'utf8').trim();
}

/** A Stripe-style webhook signing secret for the offline sandbox. */
export const generateWebhookSecret = () => `whsec_${randomBytes(24).toString('hex')}`;
