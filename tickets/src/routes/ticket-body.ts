import type { RequestHandler } from 'express';
import { body } from 'express-validator';
import { PRICE_MAX, TITLE_MAX_LENGTH } from '../models/ticket';

/** A price in cents is a whole number: at most two decimals (exact for every 2-decimal double). */
const hasAtMostTwoDecimals = (v: number) => Math.round(v * 100) / 100 === v;

/**
 * `{title, price}` of a create or an edit. Only JSON strings and numbers pass: an object (an
 * operator like `{"$gt": 0}`), an array or a numeric string is a 400. Other fields are ignored
 * (handlers read only these two).
 */
export const ticketBody: RequestHandler[] = [
  body('title')
    .custom((v) => typeof v === 'string')
    .withMessage('Title is required and must be a string')
    .bail()
    .trim()
    .isLength({ min: 1, max: TITLE_MAX_LENGTH })
    .withMessage(`Title must be 1 to ${TITLE_MAX_LENGTH} characters`),
  body('price')
    .custom((v) => typeof v === 'number' && Number.isFinite(v))
    .withMessage('Price is required and must be a number')
    .bail()
    .custom((v: number) => v > 0 && v <= PRICE_MAX)
    .withMessage(`Price must be greater than 0 and at most ${PRICE_MAX}`)
    .bail()
    .custom(hasAtMostTwoDecimals)
    .withMessage('Price must have at most two decimals'),
];

/** The validated body: title trimmed by the sanitizer above. */
export function readTicketBody(reqBody: unknown): { title: string; price: number } {
  const { title, price } = reqBody as { title: string; price: number };
  return { title, price };
}
