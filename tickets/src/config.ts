import type { KeyObject } from 'node:crypto';
import { keyIdFromEnv, publicKeyOf, sessionConfigSchema, type Es256SigningKey } from '@ticketing/common';
import { es256PrivateKeyFromEnv } from '@ticketing/common/signing';
import { z } from 'zod';

/** Absent or empty → undefined. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * The tickets service's own variables (the common ones — PORT, NATS_URL, MONGO_URL, LOG_LEVEL,
 * NODE_ENV, SHUTDOWN_TIMEOUT_MS — are added by runService). Depends on NODE_ENV (read from the
 * same env runService validates): the e-ticket code key is required in production.
 */
export function ticketsConfigSchema(env: NodeJS.ProcessEnv) {
  const production = env.NODE_ENV === 'production';
  const inProduction = <T extends z.ZodType>(schema: T) => (production ? schema : optional(schema));
  return sessionConfigSchema.extend({
    /**
     * Signs e-ticket codes (ES256, P-256 private key PEM; not a session key). Only this service
     * holds it; scanners verify with the public key from GET /api/tickets/code-keys. Outside
     * production it may be unset: tickets are still delivered, but no code can be shown.
     */
    TICKET_CODE_SIGNING_KEY: inProduction(es256PrivateKeyFromEnv),
    /** The codes' `kid` header. */
    TICKET_CODE_KEY_ID: inProduction(keyIdFromEnv),
    /** Resale price cap in percent above face value, for tickets created without their own; unset = no cap. */
    TICKET_RESALE_CAP_PERCENT: optional(z.coerce.number().int().min(0).max(1000)),
  });
}

export type TicketsConfig = z.infer<ReturnType<typeof ticketsConfigSchema>>;

/**
 * The e-ticket code signing key, or undefined where codes are not configured. Throws when the
 * pair is incomplete or is a session key: building the routes fails, so the service does not start.
 */
export function ticketCodeKeyFrom(config: Pick<TicketsConfig, 'TICKET_CODE_SIGNING_KEY' | 'TICKET_CODE_KEY_ID' | 'SESSION_PUBLIC_KEYS'>): Es256SigningKey | undefined {
  const { TICKET_CODE_SIGNING_KEY: privateKey, TICKET_CODE_KEY_ID: kid } = config;
  if (!privateKey && !kid) return undefined;
  if (!privateKey || !kid) throw new Error('tickets: TICKET_CODE_SIGNING_KEY and TICKET_CODE_KEY_ID must be set together');
  // A code key that is also a session key would let this service mint sessions.
  const pem = (k: KeyObject) => publicKeyOf(k).export({ type: 'spki', format: 'pem' }).toString();
  if ([...config.SESSION_PUBLIC_KEYS.values()].some((k) => pem(k) === pem(privateKey))) {
    throw new Error('tickets: TICKET_CODE_SIGNING_KEY must not be a session key (it is in SESSION_PUBLIC_KEYS): generate a key of its own');
  }
  return { kid, privateKey };
}
