/** What the payment form hands to the offline test-mode card form. */
export interface CardFormProps {
  price: number;
  /** A payment request is in flight. */
  pending: boolean;
  /** An error about the card itself (the API's `token` field, or a card the test mode cannot use). */
  tokenError?: string;
  /** Every other error, e.g. "Your card was declined.". */
  generalErrors: string[];
  /** Pays the order with this card token. */
  onToken: (token: string) => Promise<void>;
}
