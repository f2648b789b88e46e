import { createServiceApp, openApiRouter, type Logger, type Metrics, type SessionPublicKeys } from '@ticketing/common';
import { openApiDocument } from './openapi';
import { checkinRouter } from './routes/checkin';
import { createTicketRouter } from './routes/create-ticket';
import { listTicketsRouter } from './routes/list-tickets';
import { myTicketsRouter } from './routes/my-tickets';
import { showTicketRouter } from './routes/show-ticket';
import { ticketCodeRouter } from './routes/ticket-code';
import { updateTicketRouter } from './routes/update-ticket';
import { withdrawTicketRouter } from './routes/withdraw-ticket';
import type { TicketRules } from './domain/rules';

export interface AppDeps extends TicketRules {
  logger: Logger;
  /** Public keys that verify session tokens; this service cannot sign any. */
  sessionKeys: SessionPublicKeys;
  metrics?: Metrics;
  secureCookies?: boolean;
  logRequests?: boolean;
}

/** The tickets HTTP API. No I/O here: the database connection is the caller's. */
export function createApp(deps: AppDeps) {
  const rules: TicketRules = { resaleCapPercent: deps.resaleCapPercent, codeKey: deps.codeKey };
  return createServiceApp({
    ...deps,
    routers: [
      // Before the /:id routes, so that `docs`, `openapi.json`, `mine`, `listings` and
      // `code-keys` are never taken for ids.
      openApiRouter('/api/tickets', openApiDocument),
      listTicketsRouter,
      myTicketsRouter,
      ticketCodeRouter(rules),
      createTicketRouter,
      showTicketRouter,
      updateTicketRouter(rules),
      withdrawTicketRouter,
      checkinRouter(rules),
    ],
  });
}
