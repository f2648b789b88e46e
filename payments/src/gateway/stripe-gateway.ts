import Stripe from 'stripe';
import { IntentStateError, InvalidPaymentTokenError } from './errors';
import type {
  AuthorizeRequest,
  CreateIntentRequest,
  IntentState,
  IntentStatus,
  PaymentGateway,
  RefundResult,
} from './payment-gateway';
import { translateStripeError, type StripeCall } from './stripe-errors';
import { toIntentState, toRefundResult } from './stripe-intent-state';
import {
  authorizeParams,
  createIntentParams,
  existingRefundsParams,
  paymentMethodParams,
  refundParams,
  retrieveParams,
} from './stripe-requests';

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
    // Retries reuse the idempotency key, so they can never act twice; they also ride out
    // Stripe's 409 "idempotency key in use" while a concurrent request with the key finishes.
    maxNetworkRetries: 3,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'ticketing-payments' },
  });
}

/** Runs one Stripe call and turns its errors into the gateway's (see stripe-errors). */
async function call<T>(kind: StripeCall, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw translateStripeError(err, kind);
  }
}

/** The real thing: Stripe PaymentIntents with manual capture, through the official SDK. */
export class StripeGateway implements PaymentGateway {
  constructor(readonly stripe: Stripe) {}

  async authorize(req: AuthorizeRequest): Promise<IntentState> {
    const paymentMethod = await this.paymentMethodFor(req);
    const intent = await call('buyer', () =>
      this.stripe.paymentIntents.create(authorizeParams(req, paymentMethod), { idempotencyKey: req.idempotencyKey }),
    );
    return toIntentState(intent);
  }

  async createIntent(req: CreateIntentRequest): Promise<IntentState> {
    const intent = await call('buyer', () =>
      this.stripe.paymentIntents.create(createIntentParams(req), { idempotencyKey: req.idempotencyKey }),
    );
    return toIntentState(intent);
  }

  async retrieve(intentId: string): Promise<IntentState> {
    return toIntentState(await call('intent', () => this.stripe.paymentIntents.retrieve(intentId, retrieveParams)));
  }

  async capture(intentId: string, idempotencyKey: string): Promise<IntentState> {
    try {
      return toIntentState(await call('intent', () => this.stripe.paymentIntents.capture(intentId, {}, { idempotencyKey })));
    } catch (err) {
      return this.ifAlready('succeeded', intentId, err);
    }
  }

  async cancel(intentId: string, idempotencyKey: string): Promise<IntentState> {
    try {
      return toIntentState(await call('intent', () => this.stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey })));
    } catch (err) {
      return this.ifAlready('canceled', intentId, err);
    }
  }

  async refund(intentId: string, amountCents: number, idempotencyKey: string): Promise<RefundResult> {
    try {
      return toRefundResult(
        await call('intent', () => this.stripe.refunds.create(refundParams(intentId, amountCents), { idempotencyKey })),
      );
    } catch (err) {
      if (!(err instanceof IntentStateError || err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'charge_already_refunded') {
        // Refunded by an earlier request whose key Stripe has forgotten (keys live 24 hours).
        const existing = await this.existingRefund(intentId);
        if (existing) return existing;
      }
      // Stripe refuses to refund an intent without captured money: say which state it is in.
      const intent = await this.retrieve(intentId);
      if (intent.status !== 'succeeded') {
        throw new IntentStateError(intent.status, `A PaymentIntent with status ${intent.status} has no captured money to refund`);
      }
      throw err;
    }
  }

  /** A `pm_…` is used as it is; a `tok_…` becomes a PaymentMethod under its own idempotency key. */
  private async paymentMethodFor(req: AuthorizeRequest): Promise<string> {
    if (req.token.startsWith('pm_')) return req.token;
    if (!req.token.startsWith('tok_')) {
      throw new InvalidPaymentTokenError('token must be a card token (tok_…) or a PaymentMethod id (pm_…)');
    }
    const pm = await call('buyer', () =>
      this.stripe.paymentMethods.create(paymentMethodParams(req.token), { idempotencyKey: `${req.idempotencyKey}:pm` }),
    );
    return pm.id;
  }

  /**
   * Capture and cancel are asked again after crashes and by several replicas: when Stripe says
   * the intent is in another state and that state is the one wanted, the call has been done.
   */
  private async ifAlready(wanted: IntentStatus, intentId: string, err: unknown): Promise<IntentState> {
    if (!(err instanceof IntentStateError)) throw err;
    const intent = await this.retrieve(intentId);
    if (intent.status === wanted) return intent;
    throw new IntentStateError(intent.status, err.message);
  }

  private async existingRefund(intentId: string): Promise<RefundResult | undefined> {
    const refunds = await call('intent', () => this.stripe.refunds.list(existingRefundsParams(intentId)));
    const given = refunds.data.find((r) => r.status === 'succeeded' || r.status === 'pending' || r.status === 'requires_action');
    return given && toRefundResult(given);
  }
}
