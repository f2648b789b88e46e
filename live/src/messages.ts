import { eventSchemas, Subjects, type EventData, type EventSubject } from '@ticketing/common';

/** What the browser gets: the SSE event name, its JSON data, and who may see it. */
export interface LiveMessage {
  event: 'ticket' | 'order' | 'waitlist';
  data: Record<string, unknown>;
  /** The one user who may see it (a buyer's order, payment or waitlist place); absent = everyone. */
  audience?: string;
}

/** A ticket's status as the tickets JSON shows it, from its listing state and reservation. */
export function ticketStatus(t: EventData<typeof Subjects.TicketUpdated>): 'available' | 'reserved' | 'sold' | 'delisted' {
  if (t.state === 'held') return 'sold';
  if (t.state === 'delisted') return 'delisted';
  return t.orderId ? 'reserved' : 'available';
}

const ORDER_EVENTS: Partial<Record<EventSubject, string>> = {
  [Subjects.OrderCreated]: 'created',
  [Subjects.OrderAwaitingPayment]: 'awaiting-payment',
  [Subjects.OrderCancelled]: 'cancelled',
  [Subjects.OrderCompleted]: 'completed',
  [Subjects.PaymentCreated]: 'payment-created',
  [Subjects.PaymentCaptured]: 'payment-captured',
  [Subjects.PaymentVoided]: 'payment-voided',
  [Subjects.PaymentRefunded]: 'payment-refunded',
};

/**
 * Who bought which order, learnt from the events that say it (order.created, and the ones
 * with `userId`), for the events that do not (order.awaiting-payment). Bounded: the oldest
 * orders are forgotten first.
 */
export class OrderOwners {
  private readonly owners = new Map<string, string>();
  constructor(private readonly capacity = 100_000) {}

  remember(orderId: string, userId: string | undefined): void {
    if (!userId) return;
    this.owners.delete(orderId);
    this.owners.set(orderId, userId);
    if (this.owners.size > this.capacity) this.owners.delete(this.owners.keys().next().value!);
  }

  of(orderId: string, userId?: string): string | undefined {
    this.remember(orderId, userId);
    return userId ?? this.owners.get(orderId);
  }
}

/**
 * The message an event becomes, or null when it is nobody's business (a refused reservation,
 * a payload that fails its schema, an order whose buyer is unknown).
 */
export function liveMessageOf(subject: string, payload: unknown, owners: OrderOwners): LiveMessage | null {
  const schema = eventSchemas[subject as EventSubject];
  const parsed = schema?.safeParse(payload);
  if (!parsed?.success) return null;
  const e = parsed.data as Record<string, unknown>;
  switch (subject) {
    case Subjects.TicketCreated:
    case Subjects.TicketUpdated: {
      const t = e as EventData<typeof Subjects.TicketUpdated>;
      return { event: 'ticket', data: { id: t.id, version: t.version, status: ticketStatus(t), title: t.title, price: t.price } };
    }
    case Subjects.WaitlistChanged:
      return { event: 'waitlist', data: e, audience: e.userId as string };
  }
  const kind = ORDER_EVENTS[subject as EventSubject];
  if (!kind) return null;
  const isPayment = subject.startsWith('payment.');
  const orderId = (isPayment ? e.orderId : e.id) as string;
  const audience = owners.of(orderId, e.userId as string | undefined);
  if (!audience) return null;
  const ticketId = (e.ticket as { id?: string } | undefined)?.id;
  return {
    event: 'order',
    audience,
    data: { id: orderId, event: kind, ...(isPayment ? { paymentId: e.id } : { version: e.version }), ...(ticketId && { ticketId }) },
  };
}
