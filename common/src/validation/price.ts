/**
 * Prices are US dollars with at most two decimals, within what a card processor can charge:
 * Stripe's minimum charge for USD is $0.50 and its maximum $999,999.99. Tickets refuses a
 * price outside these bounds, so every order payments is asked to charge is chargeable.
 */
export const PRICE_MIN = 0.5;
export const PRICE_MAX = 999_999.99;

/**
 * A numeric string as a price: plain decimal digits, at most two decimals, no sign, no
 * exponent, no hex, no spaces, no leading zeros ("25", "25.5", "25.00", "0.50"; not "+25",
 * "2.5e1", "0x19", " 25", "025", "25.", ".5", "25.001").
 */
const PRICE_STRING = /^(?:0|[1-9][0-9]{0,8})(?:\.[0-9]{1,2})?$/;

/** A whole number of cents: at most two decimals (exact for every 2-decimal double). */
const hasAtMostTwoDecimals = (v: number) => Math.round(v * 100) / 100 === v;

export type PriceReading = { price: number } | { problem: string };

/**
 * Reads a price sent as a JSON number or a numeric string (the reference client sends
 * "25.00") into a number, or says why it is refused.
 */
export function readPrice(value: unknown): PriceReading {
  let price: number;
  if (typeof value === 'number') price = value;
  else if (typeof value === 'string' && PRICE_STRING.test(value)) price = Number(value);
  else return { problem: 'Price is required and must be a number or a decimal string like "25.00"' };
  if (!Number.isFinite(price)) return { problem: 'Price must be a finite number' };
  if (!hasAtMostTwoDecimals(price)) return { problem: 'Price must have at most two decimals' };
  if (price < PRICE_MIN || price > PRICE_MAX) return { problem: priceBoundsMessage };
  return { price };
}

export const priceBoundsMessage = `Price must be from ${PRICE_MIN.toFixed(2)} to ${PRICE_MAX.toFixed(2)} (what a card can be charged)`;

/** True for a number that is a chargeable price (the model-level check). */
export function isChargeablePrice(v: unknown): boolean {
  return typeof v === 'number' && 'price' in readPrice(v);
}
