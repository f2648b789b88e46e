/** The highest resale cap a ticket may carry: 1000 % above face value. */
export const RESALE_CAP_MAX = 1000;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The most a resale may ask for a ticket, or undefined when there is no cap: the ticket's own
 * cap (set at creation), else the service's (TICKET_RESALE_CAP_PERCENT), applied to the
 * face value (older tickets: their price).
 */
export function resalePriceLimit(
  ticket: { faceValue?: number | null; price: number; resaleCapPercent?: number | null },
  serviceCapPercent: number | undefined,
): number | undefined {
  const cap = ticket.resaleCapPercent ?? serviceCapPercent;
  if (cap === undefined) return undefined;
  return round2((ticket.faceValue ?? ticket.price) * (1 + cap / 100));
}

export const resaleLimitMessage = (limit: number) => `Resale price may not exceed $${limit.toFixed(2)}`;
