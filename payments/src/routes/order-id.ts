import { objectIdField } from '@ticketing/common';

/** An order id in a body or the query, lower-cased here once: the payment's orderId, filters and events use this form. */
export const orderIdField = objectIdField(
  'orderId must be a valid order id',
  'Order id, 24 hex characters in any case (one order however it is cased); anything else is a 400',
);
