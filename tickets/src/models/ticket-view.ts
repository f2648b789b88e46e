/** What a buyer or seller sees of a ticket's listing. */
export type TicketStatus = 'available' | 'reserved' | 'sold' | 'delisted';

/** The stored fields the public view reads (older documents lack the newer ones). */
export interface StoredTicketFields {
  state?: string | null;
  orderId?: string | null;
}

/** listed & no order → available; listed & order → reserved; held → sold; delisted → delisted. */
export function ticketStatus(t: StoredTicketFields): TicketStatus {
  if (t.state === 'held') return 'sold';
  if (t.state === 'delisted') return 'delisted';
  return t.orderId ? 'reserved' : 'available';
}

/** Stored-only fields: bookkeeping, the code's delivery counter, the sales history (listings route only). */
const HIDDEN = ['_id', 'outbox', '__v', 'orderSeq', 'releasedSeq', 'releasedOrderIds', 'state', 'delivery', 'checkedInAt', 'sales'];

/**
 * The JSON of a ticket (a plain stored document, hydrated or lean): `id`, title, price,
 * userId (the seller), version, orderId (while reserved, or the sale once sold), and
 * `status`, `organizerId`, `faceValue`, `holderId?`, `resaleCapPercent?`, `checkedIn` with the
 * defaults of older documents.
 */
export function ticketView(doc: Record<string, unknown>): Record<string, unknown> {
  const view: Record<string, unknown> = { id: String(doc._id ?? doc.id) };
  for (const [key, value] of Object.entries(doc)) {
    if (!HIDDEN.includes(key) && value !== undefined && value !== null) view[key] = value;
  }
  view.status = ticketStatus(doc);
  view.organizerId = doc.organizerId ?? doc.userId;
  view.faceValue = doc.faceValue ?? doc.price;
  view.checkedIn = doc.state === 'held' && doc.checkedInAt != null;
  return view;
}
