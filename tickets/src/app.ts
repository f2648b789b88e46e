import { createServiceApp, openApiRouter, type Logger, type Metrics, type SessionPublicKeys } from '@ticketing/common';
import { openApiDocument } from './openapi';
import { createTicketRouter } from './routes/create-ticket';
import { listTicketsRouter } from './routes/list-tickets';
import { showTicketRouter } from './routes/show-ticket';
import { updateTicketRouter } from './routes/update-ticket';

export interface AppDeps {
  logger: Logger;
  /** Public keys that verify session tokens; this service cannot sign any. */
  sessionKeys: SessionPublicKeys;
  metrics?: Metrics;
  secureCookies?: boolean;
  logRequests?: boolean;
}

/** The tickets HTTP API. No I/O here: the database connection is the caller's. */
export function createApp(deps: AppDeps) {
  return createServiceApp({
    ...deps,
    routers: [
      // Before the /:id routes, so that `docs` and `openapi.json` are never taken for ids.
      openApiRouter('/api/tickets', openApiDocument),
      listTicketsRouter,
      createTicketRouter,
      showTicketRouter,
      updateTicketRouter,
    ],
  });
}
