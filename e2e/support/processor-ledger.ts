import type { ServiceDatabases } from '../support/databases';

/** The offline processor's record of one PaymentIntent (the sandbox's `sandbox_intents`, read raw). */
interface ProcessorIntent {
  _id: string;
  status: string;
  amountCapturedCents: number;
  amountRefundedCents: number;
  metadata?: { orderId?: string };
}

/**
 * What the processor itself says happened to the buyers' money — the sandbox keeps its
 * intents in the payments database, as Stripe would keep them on its side. The truth for
 * "was the buyer charged", independent of what the payments service recorded.
 */
export interface ProcessorLedger {
  /** Cents captured and not refunded for the order, across all its intents. */
  keptCents(orderId: string): number;
  /** Intents of the order holding money (authorised, not captured nor released). */
  holdsFor(orderId: string): number;
  /** Intents the processor created for the order. */
  intentsFor(orderId: string): number;
  /** Every hold still open (`requires_capture`), as `<intent> (order <id>)`; only those of orders `openOrder` does not accept if given. */
  uncapturedHolds(openOrder?: (orderId: string) => boolean): string[];
}

export async function processorLedger(dbs: ServiceDatabases): Promise<ProcessorLedger> {
  const intents = await dbs.payments.all<ProcessorIntent>('sandbox_intents');
  const of = (orderId: string) => intents.filter((i) => i.metadata?.orderId === orderId);
  return {
    keptCents: (orderId) => of(orderId).reduce((sum, i) => sum + i.amountCapturedCents - i.amountRefundedCents, 0),
    holdsFor: (orderId) => of(orderId).filter((i) => i.status === 'requires_capture').length,
    intentsFor: (orderId) => of(orderId).length,
    uncapturedHolds: (openOrder = () => false) =>
      intents
        .filter((i) => i.status === 'requires_capture' && !openOrder(i.metadata?.orderId ?? ''))
        .map((i) => `${i._id} (order ${i.metadata?.orderId})`),
  };
}
