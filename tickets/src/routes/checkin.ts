import {
  BadRequestError,
  ConflictError,
  defineRoute,
  ForbiddenError,
  mountRoute,
  NotFoundError,
  pushOutbox,
  ruleField,
  ServiceUnavailableError,
  Subjects,
} from '@ticketing/common';
import { checkinAnswerSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { z } from 'zod';
import { MAX_WRITE_ATTEMPTS } from '../events/listeners/ticket-lookup';
import { Ticket, ticketEvent } from '../models/ticket';
import { organizerOf, stateOf } from '../domain/listing';
import type { TicketRules } from '../domain/rules';
import { readTicketCode } from '../domain/ticket-code';
import { ticketIdParams } from './ticket-body';
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
const CODE_MAX = 4096;
const BAD_CODE = 'code must be the scanned ticket code';

export const checkinRoute = defineRoute({
  method: 'post',
  path: '/api/tickets/:id/checkin',
  summary: 'Check a ticket in at the door (its organizer): admits the code once',
  access: 'signed-in',
  request: {
    params: ticketIdParams,
    body: z.object({
      // Length in UTF-16 units, as the check has always counted (a code is ASCII).
      code: ruleField<string>({ type: 'string', minLength: 1, maxLength: CODE_MAX, pattern: '^[\\u0000-\\uffff]*$', description: 'The scanned code (GET /api/tickets/{id}/code)' }, (v) =>
        typeof v === 'string' && v.length >= 1 && v.length <= CODE_MAX ? { value: v } : { problem: BAD_CODE },
      ),
    }),
  },
  responses: {
    200: { description: 'Admitted (version + 1; ticket.updated is published)', body: checkinAnswerSchema },
    400: { description: '"Invalid ticket code": not signed by this service, malformed, or for another ticket; or no code' },
    403: { description: 'Only the organizer can check this ticket in' },
    404: { description: 'No such ticket' },
    409: { description: '"Ticket already used" (this delivery was admitted before) or "Ticket code was superseded" (resold or relisted since)' },
    503: { description: 'Ticket codes are not configured (TICKET_CODE_SIGNING_KEY)' },
  },
});

export function checkinRouter(rules: TicketRules) {
  return mountRoute(Router(), checkinRoute, async (req, res) => {
    const ticketId = checkinRoute.params(req).id;
    let ticket = await Ticket.findById(ticketId).lean();
    if (!ticket) throw new NotFoundError('Ticket not found');
    if (organizerOf(ticket) !== req.currentUser!.id) throw new ForbiddenError('Only the organizer can check this ticket in');
    if (!rules.codeKey) throw new ServiceUnavailableError(CODES_NOT_CONFIGURED);
    const claims = readTicketCode(checkinRoute.body(req).code, rules.codeKey);
    if (!claims || claims.tid !== ticketId) throw new BadRequestError(INVALID_CODE, 'code');

    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS && ticket; attempt++) {
      const current = stateOf(ticket) === 'held' && claims.d === (ticket.delivery ?? 0) && claims.h === ticket.holderId;
      if (!current) throw new ConflictError(SUPERSEDED);
      if (ticket.checkedInAt) throw new ConflictError(ALREADY_USED);
      const checkedInAt = new Date();
      const admitted = await Ticket.findOneAndUpdate(
        { _id: ticket._id, version: ticket.version, state: 'held', delivery: claims.d, holderId: claims.h, checkedInAt: null },
        { $set: { checkedInAt }, $inc: { version: 1 }, ...pushOutbox(ticketEvent(Subjects.TicketUpdated, { ...ticket, version: ticket.version + 1 })) },
        { returnDocument: 'after' },
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
  });
}
