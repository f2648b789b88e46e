import Stripe from 'stripe';
import { CardDeclinedError, GatewayUnavailableError, InvalidPaymentTokenError, PaymentInProgressError } from './errors';
import { CURRENCY, type ChargeRequest, type ChargeResult, type PaymentGateway } from './payment-gateway';

export interface StripeGatewayOptions {
  apiKey: string;
  /** Overrides for tests (stripe-mock) or a proxy; default api.stripe.com:443 over https. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

export function createStripeClient(opts: StripeGatewayOptions): Stripe {
  return new Stripe(opts.apiKey, {
    host: opts.host,
    port: opts.port,
    protocol: opts.protocol,
    // Retries reuse the idempotency key, so they can never charge twice; they also ride out
    // Stripe's 409 "idempotency key in use" while a concurrent request with the key finishes.
    maxNetworkRetries: 3,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'ticketing-payments' },
  });
}

/**
 * The Stripe API request bodies we send, in one place so the contract test can check them.
 * A `tok_…` card token is first turned into a PaymentMethod (`POST /v1/payment_methods`
 * with `card[token]`, Stripe's documented migration path: the API schema does not accept
 * `payment_method_data[type]=card`); a `pm_…` id is used as it is.
 */
export function paymentMethodParams(token: string): Stripe.PaymentMethodCreateParams {
  return { type: 'card', card: { token } };
}

export function paymentIntentParams(req: ChargeRequest, paymentMethod: string): Stripe.PaymentIntentCreateParams {
  return {
    amount: req.amountCents,
    currency: CURRENCY,
    payment_method: paymentMethod,
    confirm: true,
    // Cards only, so no redirect-based method (and no return_url): the payment is confirmed
    // server-side in this request. The pinned API version replaced `payment_method_types` with
    // `allowed_payment_method_types`, which is exclusive with `automatic_payment_methods`.
    allowed_payment_method_types: ['card'],
    // A card that needs 3-D Secure fails now instead of waiting for an action nobody takes.
    error_on_requires_action: true,
    description: `Ticketing order ${req.orderId}`,
    // Lets the webhook map the PaymentIntent back to the order.
    metadata: { orderId: req.orderId },
  };
}

/** Creates and confirms the PaymentIntent for a charge; returns it whatever its status. */
export async function createConfirmedPaymentIntent(stripe: Stripe, req: ChargeRequest): Promise<Stripe.PaymentIntent> {
  let paymentMethod = req.token;
  if (req.token.startsWith('tok_')) {
    const pm = await stripe.paymentMethods.create(paymentMethodParams(req.token), {
      idempotencyKey: `${req.idempotencyKey}:pm`,
    });
    paymentMethod = pm.id;
  } else if (!req.token.startsWith('pm_')) {
    throw new InvalidPaymentTokenError('token must be a card token (tok_…) or a PaymentMethod id (pm_…)');
  }
  return stripe.paymentIntents.create(paymentIntentParams(req, paymentMethod), { idempotencyKey: req.idempotencyKey });
}

/** The real thing: Stripe PaymentIntents through the official SDK. */
export class StripeGateway implements PaymentGateway {
  constructor(readonly stripe: Stripe) {}

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    let intent: Stripe.PaymentIntent;
    try {
      intent = await createConfirmedPaymentIntent(this.stripe, req);
    } catch (err) {
      throw translateStripeError(err);
    }
    if (intent.status !== 'succeeded') {
      // Not paid (e.g. still requires a payment method or an action): nothing to record.
      // Should it succeed later after all, the payment_intent.succeeded webhook records it.
      const reason = intent.last_payment_error?.message ?? `payment not completed (status ${intent.status})`;
      throw new CardDeclinedError(reason);
    }
    return { id: intent.id };
  }
}

function translateStripeError(err: unknown): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  if (err instanceof Stripe.errors.StripeCardError) return new CardDeclinedError(err.message);
  if (err instanceof Stripe.errors.StripeIdempotencyError || err.statusCode === 409) {
    return new PaymentInProgressError();
  }
  if (err instanceof Stripe.errors.StripeInvalidRequestError && isAboutTheCard(err)) {
    return new InvalidPaymentTokenError(err.message);
  }
  if (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError
  ) {
    return new GatewayUnavailableError();
  }
  return err; // our bug or our configuration (bad key): a 500 with a request id
}

function isAboutTheCard(err: InstanceType<typeof Stripe.errors.StripeInvalidRequestError>): boolean {
  const param = err.param ?? '';
  return (
    param.startsWith('card') ||
    param.startsWith('payment_method') ||
    param === 'amount' ||
    ['resource_missing', 'token_already_used', 'amount_too_small', 'amount_too_large'].includes(err.code ?? '')
  );
}
