import type { Listener } from '@ticketing/common';
import type { HandoverContext } from '../../domain/waitlist/handover';
import { expirationCompleteListener } from './expiration-complete-listener';
import { paymentCreatedListener } from './payment-created-listener';
import { paymentCapturedListener, paymentRefundedListener, paymentVoidedListener } from './payment-outcome-listeners';
import { ticketCreatedListener } from './ticket-created-listener';
import { ticketReservationRefusedListener } from './ticket-reservation-refused-listener';
import { ticketUpdatedListener } from './ticket-updated-listener';

export {
  expirationCompleteListener,
  paymentCapturedListener,
  paymentCreatedListener,
  paymentRefundedListener,
  paymentVoidedListener,
  ticketCreatedListener,
  ticketReservationRefusedListener,
  ticketUpdatedListener,
};

/** Every event the orders service consumes; a released ticket goes to its waitlist by `handover`'s rules. */
export function ordersListeners(handover: HandoverContext): Listener[] {
  return [
    ticketCreatedListener,
    ticketUpdatedListener,
    expirationCompleteListener(handover),
    paymentCreatedListener,
    paymentCapturedListener,
    paymentVoidedListener,
    paymentRefundedListener,
    ticketReservationRefusedListener(handover),
  ];
}
