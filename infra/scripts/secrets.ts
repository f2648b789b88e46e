// NATS and Redis credentials for a cluster, generated (never committed):
//   node --import tsx infra/scripts/secrets.ts [dir]   (default: infra/k8s/overlays/dev/secrets)
// writes, unless they exist already, nats.env (one NATS_PASSWORD_<USER> per NATS user: the
// nats-credentials Secret), redis.env (REDIS_PASSWORD_AUTH, …: redis-credentials) and
// redis-users.acl (the Redis ACL with the passwords' hashes: redis-acl). The dev overlay's
// secretGenerator reads them; for production, create the Secrets from them (docs/deploy.md).
// Also: `--nats-config` prints the NATS authorization block of infra/k8s/base/nats/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { natsAuthorizationConfig, natsPasswordVariable, redisAclFile, type NatsUser, type RedisUser } from '@ticketing/common';
import { randomNatsPasswords, randomRedisPasswords } from '@ticketing/dev-servers';

export const DEV_SECRETS_DIR = path.resolve(__dirname, '..', 'k8s', 'overlays', 'dev', 'secrets');

/** The text of infra/k8s/base/nats/authorization.conf: passwords from the server's environment. */
export function clusterNatsConfig(): string {
  return natsAuthorizationConfig((user) => ({ env: natsPasswordVariable(user) }));
}

export const redisPasswordVariable = (user: RedisUser) => `REDIS_PASSWORD_${user.toUpperCase()}`;

/**
 * Writes the three files into `dir` unless all are there; returns whether it wrote anything.
 * Files already there are kept, except that a NATS user added since (e.g. live) gets a password
 * appended to nats.env.
 */
export function ensureClusterSecrets(dir = DEV_SECRETS_DIR): boolean {
  const files = ['nats.env', 'redis.env', 'redis-users.acl'].map((f) => path.join(dir, f));
  if (files.every((f) => existsSync(f))) return addMissingNatsPasswords(files[0]);
  mkdirSync(dir, { recursive: true });
  const nats = randomNatsPasswords();
  const redis = randomRedisPasswords();
  const env = (entries: [string, string][]) => entries.map(([k, v]) => `${k}=${v}\n`).join('');
  const write = (file: string, text: string) => writeFileSync(file, text, { mode: 0o600 });
  write(files[0], env(Object.entries(nats).map(([u, p]) => [natsPasswordVariable(u as keyof typeof nats), p])));
  write(files[1], env(Object.entries(redis).map(([u, p]) => [redisPasswordVariable(u as RedisUser), p])));
  write(files[2], redisAclFile(redis));
  return true;
}

function addMissingNatsPasswords(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  const missing = Object.entries(randomNatsPasswords()).filter(([u]) => !new RegExp(`^${natsPasswordVariable(u as NatsUser)}=`, 'm').test(text));
  if (missing.length === 0) return false;
  const lines = missing.map(([u, p]) => `${natsPasswordVariable(u as NatsUser)}=${p}\n`).join('');
  writeFileSync(file, `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${lines}`, { mode: 0o600 });
  return true;
}

if (require.main === module) {
  if (process.argv[2] === '--nats-config') process.stdout.write(clusterNatsConfig());
  else {
    const dir = path.resolve(process.argv[2] ?? DEV_SECRETS_DIR);
    process.stdout.write(ensureClusterSecrets(dir) ? `[secrets] wrote ${dir}\n` : `[secrets] ${dir} already has them\n`);
  }
}
