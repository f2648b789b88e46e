/** What the payments route needs from a card processor. */
export interface ChargeRequest {
  orderId: string;
  /** Smallest currency unit (cents). */
  amountCents: number;
  /** A card token (`tok_…`) or a PaymentMethod id (`pm_…`) from the client. */
  token: string;
  /**
   * Same key ⇒ same charge: a retried or concurrent request with this key never charges
   * twice; it gets the first request's outcome.
   */
  idempotencyKey: string;
}

export interface ChargeResult {
  /** The processor's id of the (succeeded) charge, e.g. a PaymentIntent id. */
  id: string;
}

export interface PaymentGateway {
  /** Charges the card, or throws one of the errors in ./errors. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
}

export const CURRENCY = 'usd';
