import { sessionConfigSchema } from '@ticketing/common';

/**
 * The tickets service's own variables (the common ones — PORT, NATS_URL, MONGO_URL, LOG_LEVEL,
 * NODE_ENV, SHUTDOWN_TIMEOUT_MS — are added by runService).
 */
export const ticketsConfigSchema = sessionConfigSchema;
