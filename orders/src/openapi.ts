import { openApiDocument as buildDocument } from '@ticketing/common';
import { cancelOrderRoute } from './routes/cancel-order';
import { listOrdersRoute } from './routes/list-orders';
import { newOrderRoute } from './routes/new-order';
import { showOrderRoute } from './routes/show-order';
import { joinWaitlistRoute, leaveWaitlistRoute, myWaitlistRoute, waitlistLineRoute } from './routes/waitlist';

/** The orders API, made from its routes' contracts; a test checks that it lists exactly the routes the app serves. */
export const openApiDocument = buildDocument({
  title: 'Ticketing orders API',
  version: '1.0.0',
  description:
    'Orders reserve a ticket for a limited window (EXPIRATION_WINDOW_SECONDS). Exactly one order can hold a ticket; ' +
    'unpaid orders expire and free it. A buyer holds at most ORDERS_MAX_ACTIVE_PER_BUYER unpaid orders at once. ' +
    'A payment first authorises (holds) the amount; the order then completes, and the payment is captured, or it was ' +
    'cancelled first, and the hold is released: the buyer is never charged for a cancelled order (a capture that ' +
    'raced one is refunded automatically). Each order shows its payment state. ' +
    'A reserved ticket has a waitlist: when its hold is released (cancelled or expired) the first in line gets an order ' +
    'for it (the normal window, the same one-winner rule); if they do not pay, the next one does. While buyers wait, ' +
    'a walk-in order is refused. The seller changing or withdrawing the ticket, or its sale, empties the line. ' +
    'Errors are always {"errors":[{"message","field?"}]}.',
  base: '/api/orders',
  routes: [newOrderRoute, listOrdersRoute, joinWaitlistRoute, myWaitlistRoute, waitlistLineRoute, leaveWaitlistRoute, showOrderRoute, cancelOrderRoute],
});
