import { readPrice, singleLineTextProblem } from '@ticketing/common';
import type { RequestHandler } from 'express';
import { body } from 'express-validator';
import { TITLE_RULE } from '../models/ticket';

/**
 * `{title, price}` of a create or an edit, by the rules in common: the title is one line of
 * 1..120 code points stored exactly as sent (no silent trim: outer whitespace is a 400); the
 * price is a JSON number or a decimal string ("25.00") within the chargeable bounds and is
 * replaced by the number. An object (an operator like `{"$gt": 0}`) or an array is a 400.
 * Other fields are ignored (handlers read only these two).
 */
export const ticketBody: RequestHandler[] = [
  body('title').custom((v: unknown) => {
    const problem = singleLineTextProblem(v, TITLE_RULE);
    if (problem) throw new Error(problem);
    return true;
  }),
  body('price')
    .custom((v: unknown) => {
      const reading = readPrice(v);
      if ('problem' in reading) throw new Error(reading.problem);
      return true;
    })
    .bail()
    .customSanitizer((v: unknown) => (readPrice(v) as { price: number }).price),
];

/** The validated body: the title exactly as sent, the price as a number. */
export function readTicketBody(reqBody: unknown): { title: string; price: number } {
  const { title, price } = reqBody as { title: string; price: number };
  return { title, price };
}
