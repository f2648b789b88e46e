/** What the payment form hands to whichever card form (test mode or Stripe) it shows. */
export interface CardFormProps {
  price: number;
  /** A payment request is in flight. */
  pending: boolean;
  /** An error about the card itself (the API's `token` field, or Stripe's tokenization error). */
  tokenError?: string;
  /** Every other error, e.g. "Your card was declined.". */
  generalErrors: string[];
  /** Pays the order with this card token. */
  onToken: (token: string) => Promise<void>;
  /** Reports a card error found before reaching the API. */
  onTokenError: (message: string) => void;
}
