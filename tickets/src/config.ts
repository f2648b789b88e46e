import { es256PrivateKeyFromEnv, keyIdFromEnv, sessionConfigSchema, type Es256SigningKey } from '@ticketing/common';
import { z } from 'zod';

/** Absent or empty → undefined. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * The tickets service's own variables (the common ones — PORT, NATS_URL, MONGO_URL, LOG_LEVEL,
 * NODE_ENV, SHUTDOWN_TIMEOUT_MS — are added by runService).
 */
export const ticketsConfigSchema = sessionConfigSchema.extend({
    /**
     * Signs e-ticket codes (ES256, P-256 private key PEM). Only this service holds it; scanners
     * verify with the public key from GET /api/tickets/code-keys. Required in production;
     * elsewhere, without it, tickets are still delivered but no code can be shown.
     */
    TICKET_CODE_SIGNING_KEY: optional(es256PrivateKeyFromEnv),
    /** The codes' `kid` header. */
    TICKET_CODE_KEY_ID: optional(keyIdFromEnv),
    /** Resale price cap in percent above face value, for tickets created without their own; unset = no cap. */
    TICKET_RESALE_CAP_PERCENT: optional(z.coerce.number().int().min(0).max(1000)),
  });

export type TicketsConfig = z.infer<typeof ticketsConfigSchema>;

/**
 * The e-ticket code signing key, or undefined where codes are not configured. Checked here
 * rather than in the schema, since runService merges only the schema's fields (not refinements).
 */
export function ticketCodeKeyFrom(config: TicketsConfig & { NODE_ENV: string }): Es256SigningKey | undefined {
  const { TICKET_CODE_SIGNING_KEY: privateKey, TICKET_CODE_KEY_ID: kid } = config;
  if (!!privateKey !== !!kid) throw new Error('tickets: TICKET_CODE_SIGNING_KEY and TICKET_CODE_KEY_ID must be set together');
  if (privateKey && kid) return { kid, privateKey };
  if (config.NODE_ENV === 'production') throw new Error('tickets: TICKET_CODE_SIGNING_KEY is required in production (e-ticket codes)');
  return undefined;
}
