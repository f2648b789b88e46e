import { openApiDocument as buildDocument } from '@ticketing/common';
import { checkinRoute } from './routes/checkin';
import { createTicketRoute } from './routes/create-ticket';
import { listTicketsRoute } from './routes/list-tickets';
import { myListingsRoute, myTicketsRoute } from './routes/my-tickets';
import { showTicketRoute } from './routes/show-ticket';
import { codeKeysRoute, ticketCodeRoute } from './routes/ticket-code';
import { updateTicketRoute } from './routes/update-ticket';
import { withdrawTicketRoute } from './routes/withdraw-ticket';

/** The tickets API, served at /api/tickets/openapi.json and /api/tickets/docs, made from its routes' contracts. */
export const openApiDocument = buildDocument({
  title: 'Ticketing — tickets service',
  version: '1.0.0',
  description:
    'List and search tickets for sale, create and edit your own. A bought ticket is delivered to its buyer (the holder) as a ' +
    'signed e-ticket code that its organizer checks in once at the door; the holder may resell it (within a price cap), ' +
    'which supersedes their code. Authentication: the `session` cookie set by the auth service. ' +
    'Errors are `{"errors":[{"message","field?"}]}`.',
  base: '/api/tickets',
  routes: [
    listTicketsRoute,
    createTicketRoute,
    showTicketRoute,
    updateTicketRoute,
    withdrawTicketRoute,
    myTicketsRoute,
    myListingsRoute,
    codeKeysRoute,
    ticketCodeRoute,
    checkinRoute,
  ],
});
