import Stripe from 'stripe';
import { CardDeclinedError, GatewayUnavailableError, IntentStateError, InvalidPaymentTokenError, PaymentInProgressError } from './errors';
import {
  CURRENCY,
  type AuthorizeRequest,
  type CreateIntentRequest,
  type IntentState,
  type IntentStatus,
  type PaymentGateway,
  type RefundResult,
} from './payment-gateway';

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

export function paymentIntentParams(req: AuthorizeRequest, paymentMethod: string): Stripe.PaymentIntentCreateParams {
  return {
    amount: req.amountCents,
    currency: CURRENCY,
    payment_method: paymentMethod,
    confirm: true,
    // Authorise only: the money is held, and captured once the order completes.
    capture_method: 'manual',
    allowed_payment_method_types: ['card'],
    description: `Ticketing order ${req.orderId}`,
    // Lets the webhook map the PaymentIntent back to the order and its attempt.
    metadata: { orderId: req.orderId, attempt: String(req.attempt) },
  };
}

/** Creates and confirms the PaymentIntent for an authorisation; returns it whatever its status. */
export async function createConfirmedPaymentIntent(stripe: Stripe, req: AuthorizeRequest): Promise<Stripe.PaymentIntent> {
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

function toIntentState(intent: Stripe.PaymentIntent): IntentState {
  return {
    id: intent.id,
    status: intent.status as IntentStatus,
    amountCents: intent.amount,
    amountCapturedCents: intent.amount_received ?? 0,
    amountRefundedCents: 0,
    currency: intent.currency,
    livemode: intent.livemode,
    metadata: { orderId: intent.metadata?.orderId, attempt: intent.metadata?.attempt },
    clientSecret: intent.client_secret ?? undefined,
    lastError: intent.last_payment_error?.message,
  };
}

/**
 * The real thing: Stripe PaymentIntents through the official SDK. A thin adaptation to the
 * authorise/capture interface (the full gateway, with its contract tests, is being rewritten).
 */
export class StripeGateway implements PaymentGateway {
  constructor(readonly stripe: Stripe) {}

  authorize(req: AuthorizeRequest): Promise<IntentState> {
    return this.call(async () => toIntentState(await createConfirmedPaymentIntent(this.stripe, req)));
  }

  createIntent(req: CreateIntentRequest): Promise<IntentState> {
    return this.call(async () =>
      toIntentState(
        await this.stripe.paymentIntents.create(
          {
            amount: req.amountCents,
            currency: CURRENCY,
            capture_method: 'manual',
            allowed_payment_method_types: ['card'],
            metadata: { orderId: req.orderId, attempt: String(req.attempt) },
          },
          { idempotencyKey: req.idempotencyKey },
        ),
      ),
    );
  }

  retrieve(intentId: string): Promise<IntentState> {
    return this.call(async () => toIntentState(await this.stripe.paymentIntents.retrieve(intentId)));
  }

  capture(intentId: string, idempotencyKey: string): Promise<IntentState> {
    return this.call(async () => toIntentState(await this.stripe.paymentIntents.capture(intentId, {}, { idempotencyKey })));
  }

  cancel(intentId: string, idempotencyKey: string): Promise<IntentState> {
    return this.call(async () => toIntentState(await this.stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey })));
  }

  refund(intentId: string, amountCents: number, idempotencyKey: string): Promise<RefundResult> {
    return this.call(async () => {
      const refund = await this.stripe.refunds.create({ payment_intent: intentId, amount: amountCents }, { idempotencyKey });
      return { id: refund.id, status: (refund.status ?? 'pending') as RefundResult['status'], amountCents: refund.amount };
    });
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw translateStripeError(err);
    }
  }
}

function translateStripeError(err: unknown): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  if (err instanceof Stripe.errors.StripeCardError) return new CardDeclinedError(err.message);
  if (err instanceof Stripe.errors.StripeIdempotencyError || err.statusCode === 409) {
    return new PaymentInProgressError();
  }
  if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'payment_intent_unexpected_state') {
    return new IntentStateError(err.payment_intent?.status ?? 'unknown', err.message);
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
