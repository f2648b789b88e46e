import { createHash } from 'node:crypto';

/**
 * Redis users: each service reaches only its own keys (and Bull's channels), with only the
 * commands it needs; `admin` is the operator's; `probe` may only PING (readiness checks run
 * without a secret). The `default` user is off, so a client that does not authenticate can
 * do nothing.
 */
export const REDIS_USERS = {
  /** auth's rate-limit counters (rate-limiter-flexible: keys `auth-rl-<limit>:<key>`). */
  auth: 'resetkeys ~auth-rl* resetchannels -@all +@read +@write +@scripting +@transaction +@connection -@dangerous +info',
  /** The expiration worker's Bull queue: keys and pub/sub channels under `bull:`. */
  expiration:
    'resetkeys ~bull:* resetchannels &bull:* -@all +@read +@write +@scripting +@transaction +@blocking +@pubsub +@connection -@dangerous +info',
  admin: '~* &* +@all',
} as const;

export type RedisUser = keyof typeof REDIS_USERS;
export const REDIS_USER_NAMES = Object.keys(REDIS_USERS) as RedisUser[];

/** The key prefix each service's keys must start with (its user can touch no other key). */
export const REDIS_KEY_PREFIXES = { auth: 'auth-rl', expiration: 'bull:' } as const;

/** `#<sha256>`: how an ACL file names a password without containing it. */
export function redisPasswordHash(password: string): string {
  return `#${createHash('sha256').update(password).digest('hex')}`;
}

/**
 * The redis-server ACL file (`--aclfile`): the users above with their passwords' hashes,
 * `probe` (PING only, no password) and `default` off.
 */
export function redisAclFile(passwords: Record<RedisUser, string>): string {
  const lines = REDIS_USER_NAMES.map((user) => `user ${user} on ${redisPasswordHash(passwords[user])} ${REDIS_USERS[user]}`);
  return [
    // Off: a connection that does not AUTH can do nothing. Its permissions stay full because
    // Redis 7.0 replays MULTI/EXEC from the append-only file as `default` (measured: with
    // `-@all` here, Bull's jobs were dropped on restart); an off user cannot be logged in as.
    'user default off resetpass ~* &* +@all',
    'user probe on nopass resetkeys resetchannels -@all +ping',
    ...lines,
    '',
  ].join('\n');
}

/** The server URL with one of the users (name and password) in it. */
export function redisUrlFor(serverUrl: string, user: string, password: string): string {
  const u = new URL(serverUrl);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString().replace(/\/$/, '');
}
