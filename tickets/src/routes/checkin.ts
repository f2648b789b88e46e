import {
  BadRequestError,
  canonicalIdParam,
  canonicalParam,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  pushOutbox,
  requireAuth,
  ServiceUnavailableError,
  Subjects,
  validateRequest,
} from '@ticketing/common';
import { Router } from 'express';
import { body } from 'express-validator';
import { MAX_WRITE_ATTEMPTS } from '../events/listeners/ticket-lookup';
import { Ticket, ticketEvent } from '../models/ticket';
import { organizerOf, stateOf } from '../domain/listing';
import type { TicketRules } from '../domain/rules';
import { readTicketCode } from '../domain/ticket-code';
import { CODES_NOT_CONFIGURED } from './ticket-code';

export const INVALID_CODE = 'Invalid ticket code';
export const ALREADY_USED = 'Ticket already used';
export const SUPERSEDED = 'Ticket code was superseded';

/**
 * `POST /api/tickets/:id/checkin {code}` by the ticket's organizer: admits the holder once.
 * A code that is not ours or names another ticket → 400; a code of an earlier delivery (the
 * ticket was resold or relisted since) → 409 superseded; the admission itself is ONE
 * conditional write (this delivery, not checked in yet), so of two scans at once exactly one
 * admits and the other gets 409 already used.
 */
export function checkinRouter(rules: TicketRules) {
  const router = Router();
  router.post(
    '/api/tickets/:id/checkin',
    requireAuth,
    canonicalIdParam('Ticket not found'),
    body('code').isString().withMessage('code must be the scanned ticket code').bail().isLength({ min: 1, max: 4096 }).withMessage('code must be the scanned ticket code'),
    validateRequest,
    async (req, res) => {
      const ticketId = canonicalParam(req);
      let ticket = await Ticket.findById(ticketId).lean();
      if (!ticket) throw new NotFoundError('Ticket not found');
      if (organizerOf(ticket) !== req.currentUser!.id) throw new ForbiddenError('Only the organizer can check this ticket in');
      if (!rules.codeKey) throw new ServiceUnavailableError(CODES_NOT_CONFIGURED);
      const claims = readTicketCode(String(req.body.code), rules.codeKey);
      if (!claims || claims.tid !== ticketId) throw new BadRequestError(INVALID_CODE, 'code');

      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS && ticket; attempt++) {
        const current = stateOf(ticket) === 'held' && claims.d === (ticket.delivery ?? 0) && claims.h === ticket.holderId;
        if (!current) throw new ConflictError(SUPERSEDED);
        if (ticket.checkedInAt) throw new ConflictError(ALREADY_USED);
        const checkedInAt = new Date();
        const admitted = await Ticket.findOneAndUpdate(
          { _id: ticket._id, version: ticket.version, state: 'held', delivery: claims.d, holderId: claims.h, checkedInAt: null },
          { $set: { checkedInAt }, $inc: { version: 1 }, ...pushOutbox(ticketEvent(Subjects.TicketUpdated, { ...ticket, version: ticket.version + 1 })) },
          { new: true },
        );
        if (admitted) {
          res.send({ admitted: true, ticketId, holderId: claims.h, checkedInAt: checkedInAt.toISOString() });
          return;
        }
        // Missed: another scan admitted it, or something else changed the ticket; decide again.
        ticket = await Ticket.findById(ticketId).lean();
      }
      if (!ticket) throw new NotFoundError('Ticket not found');
      throw new ConflictError('Ticket was modified concurrently; scan again');
    },
  );
  return router;
}
