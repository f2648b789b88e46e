import { runService } from '@ticketing/common';
import { createApp } from './app';
import { ticketCodeKeyFrom, ticketsConfigSchema } from './config';
import { ticketsListeners } from './events/listeners';
import { Ticket } from './models/ticket';

void runService({
  name: 'tickets',
  config: ticketsConfigSchema(process.env),
  build: ({ config, logger, metrics }) => ({
    app: createApp({
      logger,
      metrics,
      sessionKeys: config.SESSION_PUBLIC_KEYS,
      secureCookies: config.NODE_ENV === 'production',
      codeKey: ticketCodeKeyFrom(config),
      resaleCapPercent: config.TICKET_RESALE_CAP_PERCENT,
    }),
    listeners: ticketsListeners,
    outbox: [Ticket],
  }),
});
