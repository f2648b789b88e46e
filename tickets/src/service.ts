import { defineService } from '@ticketing/common';
import { ticketCodeKeyFrom, ticketsConfigSchema } from './config';
import type { TicketRules } from './domain/rules';
import { ticketsListeners } from './events/listeners';
import { Ticket } from './models/ticket';
import { openApiDocument } from './openapi';
import { checkinRouter } from './routes/checkin';
import { createTicketRouter } from './routes/create-ticket';
import { listTicketsRouter } from './routes/list-tickets';
import { myTicketsRouter } from './routes/my-tickets';
import { showTicketRouter } from './routes/show-ticket';
import { ticketCodeRouter } from './routes/ticket-code';
import { updateTicketRouter } from './routes/update-ticket';
import { withdrawTicketRouter } from './routes/withdraw-ticket';

/** The catalogue: tickets, their resale and e-ticket codes; reserved and delivered by order events. */
export const ticketsService = defineService({
  name: 'tickets',
  config: ticketsConfigSchema,
  routers: ({ config }) => {
    const rules: TicketRules = { resaleCapPercent: config.TICKET_RESALE_CAP_PERCENT, codeKey: ticketCodeKeyFrom(config) };
    return [
      // Before the /:id routes, so that `mine`, `listings` and `code-keys` are never taken for ids.
      listTicketsRouter(),
      myTicketsRouter(),
      ticketCodeRouter(rules),
      createTicketRouter(),
      showTicketRouter(),
      updateTicketRouter(rules),
      withdrawTicketRouter(),
      checkinRouter(rules),
    ];
  },
  openApi: { base: '/api/tickets', document: openApiDocument },
  listeners: () => ticketsListeners,
  outbox: [Ticket],
});
