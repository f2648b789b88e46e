import type { Listener } from '@ticketing/common';
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

/** Every event the orders service consumes. */
export const orderListeners: Listener[] = [
  ticketCreatedListener,
  ticketUpdatedListener,
  expirationCompleteListener,
  paymentCreatedListener,
  paymentCapturedListener,
  paymentVoidedListener,
  paymentRefundedListener,
  ticketReservationRefusedListener,
];
