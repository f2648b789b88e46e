import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  randomNatsPasswords,
  randomRedisPasswords,
  type NatsPasswords,
  type RedisPasswords,
} from '@ticketing/dev-servers';

export interface LocalCredentials {
  nats: NatsPasswords;
  redis: RedisPasswords;
}

export const credentialsFile = (stateDir: string) => path.join(stateDir, 'credentials.json');

/**
 * The local stack's NATS and Redis passwords, one per user: generated at the first start and
 * kept in `<stateDir>/credentials.json` (readable by the owner only), so nothing secret is in
 * the repository and every start uses the same ones. A user added since (a new service) gets
 * one the next start. `npm run deadletters` reads the admin's from here.
 */
export function localCredentials(stateDir: string): LocalCredentials {
  const file = credentialsFile(stateDir);
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalCredentials>) : {};
  const credentials: LocalCredentials = {
    nats: { ...randomNatsPasswords(), ...saved.nats },
    redis: { ...randomRedisPasswords(), ...saved.redis },
  };
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
