import { BadRequestError, canonicalIdParam, canonicalParam, ForbiddenError, NotFoundError, requireAuth, ServiceUnavailableError } from '@ticketing/common';
import { Router } from 'express';
import { Ticket } from '../models/ticket';
import { stateOf } from '../domain/listing';
import type { TicketRules } from '../domain/rules';
import { codeVerifyingKeys, signTicketCode } from '../domain/ticket-code';

export const CODES_NOT_CONFIGURED = 'Ticket codes are not configured';

/**
 * `GET /api/tickets/code-keys` (public): the keys that verify codes, so a door scanner can
 * check one offline. `GET /api/tickets/:id/code` (the holder only): the e-ticket code of the
 * ticket's current delivery. Must be mounted before `/api/tickets/:id`.
 */
export function ticketCodeRouter(rules: TicketRules) {
  const router = Router();
  router.get('/api/tickets/code-keys', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.send(codeVerifyingKeys(rules.codeKey));
  });

  router.get('/api/tickets/:id/code', requireAuth, canonicalIdParam('Ticket not found'), async (req, res) => {
    const ticket = await Ticket.findById(canonicalParam(req), { state: 1, holderId: 1, delivery: 1, checkedInAt: 1 }).lean();
    if (!ticket) throw new NotFoundError('Ticket not found');
    if (ticket.holderId !== req.currentUser!.id) throw new ForbiddenError('Only the ticket holder can see its code');
    if (stateOf({ ...ticket, userId: '' }) !== 'held') throw new BadRequestError('Ticket is listed for sale: it has no valid code');
    if (!rules.codeKey) throw new ServiceUnavailableError(CODES_NOT_CONFIGURED);
    const ticketId = String(ticket._id);
    const delivery = ticket.delivery ?? 0;
    res.set('Cache-Control', 'no-store');
    res.send({ ticketId, code: signTicketCode({ tid: ticketId, d: delivery, h: ticket.holderId }, rules.codeKey), delivery, checkedIn: ticket.checkedInAt != null });
  });
  return router;
}
