import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The session signing key pair of a development deployment, as files: generated the first
 * time (never committed), then reused so sessions survive a restart. The local stack keeps
 * them under `.state/session-keys/`; `npm run k8s:dev-keys` writes the dev overlay's.
 */
export const SESSION_KEY_FILES = {
  /** P-256 private key (PKCS#8 PEM): auth's SESSION_SIGNING_KEY. */
  signingKey: 'signing-key.pem',
  /** SESSION_SIGNING_KEY_ID. */
  signingKeyId: 'signing-key-id',
  /** SESSION_PUBLIC_KEYS: {"<kid>": "<public key PEM>"}. */
  publicKeys: 'public-keys.json',
} as const;

export interface SessionKeyMaterial {
  kid: string;
  privateKeyPem: string;
  publicKeyPem: string;
  /** SESSION_PUBLIC_KEYS text. */
  publicKeysJson: string;
}

/** Reads the key files in `dir`, generating them first if they are not there. */
export function ensureSessionKeys(dir: string): SessionKeyMaterial & { generated: boolean } {
  const file = (name: string) => path.join(dir, name);
  const present = Object.values(SESSION_KEY_FILES).every((name) => existsSync(file(name)));
  if (!present) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const kid = `dev-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(file(SESSION_KEY_FILES.signingKey), privateKeyPem, { mode: 0o600 });
    writeFileSync(file(SESSION_KEY_FILES.signingKeyId), kid, { mode: 0o600 });
    writeFileSync(file(SESSION_KEY_FILES.publicKeys), JSON.stringify({ [kid]: publicPemOf(privateKeyPem) }), { mode: 0o644 });
  }
  const privateKeyPem = readFileSync(file(SESSION_KEY_FILES.signingKey), 'utf8');
  const kid = readFileSync(file(SESSION_KEY_FILES.signingKeyId), 'utf8').trim();
  return {
    kid,
    privateKeyPem,
    publicKeyPem: publicPemOf(privateKeyPem),
    publicKeysJson: readFileSync(file(SESSION_KEY_FILES.publicKeys), 'utf8'),
    generated: !present,
  };
}

/** The key material given in the environment (a deployment's own), or undefined. */
export function sessionKeysFromEnv(env: NodeJS.ProcessEnv): SessionKeyMaterial | undefined {
  const { SESSION_SIGNING_KEY: privateKeyPem, SESSION_SIGNING_KEY_ID: kid, SESSION_PUBLIC_KEYS: publicKeysJson } = env;
  if (!privateKeyPem || !kid) return undefined;
  const publicKeyPem = publicPemOf(privateKeyPem);
  return { kid, privateKeyPem, publicKeyPem, publicKeysJson: publicKeysJson || JSON.stringify({ [kid]: publicKeyPem }) };
}

const publicPemOf = (privateKeyPem: string) => createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();

/** `env` without the signing keys (sessions' and e-ticket codes'): each is given back to its one service only. */
export function withoutSigningKey(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { SESSION_SIGNING_KEY: _key, SESSION_SIGNING_KEY_ID: _kid, TICKET_CODE_SIGNING_KEY: _codeKey, TICKET_CODE_KEY_ID: _codeKid, ...rest } = env;
  return rest;
}

/** Where a development deployment keeps the e-ticket code key pair (same files as the session keys'). */
export const TICKET_CODE_KEY_DIR = 'ticket-code-key';

/**
 * The e-ticket code key pair of a development deployment (tickets' TICKET_CODE_SIGNING_KEY and
 * TICKET_CODE_KEY_ID): a P-256 pair of its own, generated the first time, then reused.
 */
export const ensureTicketCodeKey = (dir: string) => ensureSessionKeys(dir);

/** The code key given in the environment (a deployment's own), or undefined. */
export function ticketCodeKeyFromEnv(env: NodeJS.ProcessEnv): { kid: string; privateKeyPem: string } | undefined {
  const { TICKET_CODE_SIGNING_KEY: privateKeyPem, TICKET_CODE_KEY_ID: kid } = env;
  return privateKeyPem && kid ? { kid, privateKeyPem } : undefined;
}
