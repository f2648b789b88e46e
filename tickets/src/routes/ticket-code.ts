import { BadRequestError, defineRoute, ForbiddenError, mountRoute, NotFoundError, ServiceUnavailableError } from '@ticketing/common';
import { codeKeysSchema, ticketCodeSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { Ticket } from '../models/ticket';
import { stateOf } from '../domain/listing';
import type { TicketRules } from '../domain/rules';
import { codeVerifyingKeys, signTicketCode } from '../domain/ticket-code';
import { ticketIdParams } from './ticket-body';

export const CODES_NOT_CONFIGURED = 'Ticket codes are not configured';

export const codeKeysRoute = defineRoute({
  method: 'get',
  path: '/api/tickets/code-keys',
  summary: 'Public keys that verify e-ticket codes (for scanners, offline)',
  access: 'public',
  responses: { 200: { description: 'The keys (empty where codes are not configured)', body: codeKeysSchema } },
});

export const ticketCodeRoute = defineRoute({
  method: 'get',
  path: '/api/tickets/:id/code',
  summary: 'The e-ticket code of a ticket you hold',
  description:
    '`code` is a compact JWS (ES256, `kid` header; verify with /api/tickets/code-keys) with payload ' +
    '`{tid: ticket id, d: delivery, h: holder id, iat}`. It is valid while the ticket stays with you in this delivery: ' +
    'a resale (or a withdrawn resale) supersedes it.',
  access: 'signed-in',
  request: { params: ticketIdParams },
  responses: {
    200: { description: 'The code', body: ticketCodeSchema },
    400: { description: 'The ticket is listed for sale again: no valid code' },
    403: { description: 'You do not hold this ticket' },
    404: { description: 'No such ticket' },
    503: { description: 'Ticket codes are not configured (TICKET_CODE_SIGNING_KEY)' },
  },
});

/**
 * `GET /api/tickets/code-keys` (public): the keys that verify codes, so a door scanner can
 * check one offline. `GET /api/tickets/:id/code` (the holder only): the e-ticket code of the
 * ticket's current delivery. Must be mounted before `/api/tickets/:id`.
 */
export function ticketCodeRouter(rules: TicketRules): Router {
  const router = Router();
  mountRoute(router, codeKeysRoute, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.send(codeVerifyingKeys(rules.codeKey));
  });
  return mountRoute(router, ticketCodeRoute, async (req, res) => {
    const ticket = await Ticket.findById(ticketCodeRoute.params(req).id, { state: 1, holderId: 1, delivery: 1, checkedInAt: 1 }).lean();
    if (!ticket) throw new NotFoundError('Ticket not found');
    if (ticket.holderId !== req.currentUser!.id) throw new ForbiddenError('Only the ticket holder can see its code');
    if (stateOf({ ...ticket, userId: '' }) !== 'held') throw new BadRequestError('Ticket is listed for sale: it has no valid code');
    if (!rules.codeKey) throw new ServiceUnavailableError(CODES_NOT_CONFIGURED);
    const ticketId = String(ticket._id);
    const delivery = ticket.delivery ?? 0;
    res.set('Cache-Control', 'no-store');
    res.send({ ticketId, code: signTicketCode({ tid: ticketId, d: delivery, h: ticket.holderId }, rules.codeKey), delivery, checkedIn: ticket.checkedInAt != null });
  });
}
