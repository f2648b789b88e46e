import { idParams, PRICE_MAX, PRICE_MIN, priceField, singleLineTextField } from '@ticketing/common';
import { z } from 'zod';
import { TITLE_RULE } from '../models/ticket';

/** `:id` of the ticket routes: canonical, or 404 for a malformed id (it names no ticket). */
export const ticketIdParams = idParams('Ticket not found', 'Ticket id: 24 hex characters in any case (the same ticket however it is cased); anything else is a 404');

/**
 * `{title, price}` of a create or an edit, by the rules in common: the title is one line of
 * 1..120 code points stored exactly as sent (no silent trim: outer whitespace is a 400); the
 * price is a JSON number or a decimal string ("25.00") within the chargeable bounds and is
 * replaced by the number. An object (an operator like `{"$gt": 0}`) or an array is a 400.
 * Other fields are ignored.
 */
export const ticketBody = z.object({
  title: singleLineTextField(
    TITLE_RULE,
    `1 to ${TITLE_RULE.maxLength} characters, counted as Unicode code points (an emoji is 1, a flag or a zero-width-joined emoji counts each code point it is made of). ` +
      'Stored and read back exactly as sent: leading or trailing whitespace, control characters (C0, DEL, C1) and unpaired surrogates are a 400.',
  ),
  price: priceField(
    `US dollars from ${PRICE_MIN.toFixed(2)} to ${PRICE_MAX.toFixed(2)} (Stripe's minimum and maximum USD charge), at most two decimals. ` +
      'A JSON number or a decimal string such as "25.00" (no sign, exponent, hex, spaces or leading zeros); always stored and answered as a number.',
  ),
});
