import { errorResponse, openApiCommonComponents, tooManyRequestsResponse, type OpenApiDocument } from '@ticketing/common';
import { CANCELLED_NOT_CHARGED } from './domain/payment-answer';
import { HANDLED_EVENT_TYPES } from './domain/stripe-event';

const withDescription = errorResponse;
const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const orderIdSchema = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{24}$',
  description: 'Order id, 24 hex characters in any case (one order however it is cased); anything else is a 400',
};

/** The payments API; a test checks that it lists exactly the routes the app serves. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Ticketing payments API',
    version: '2.0.0',
    description: [
      'Pays for an order with Stripe PaymentIntents in two steps: a payment first AUTHORISES the order\'s price (the money is',
      'held, `capture_method: manual`); the orders service then decides in one write whether the order completes — then',
      'payments CAPTURES the hold — or was already cancelled or expired — then payments releases it (VOIDED) and the buyer is',
      'never charged. Any captured payment whose order does not end complete is REFUNDED automatically. All of this travels',
      'as events (payment.created = authorised and accepted by the order, payment.captured, payment.voided, payment.refunded).',
      '',
      'Payment statuses: `pending` (recorded before the processor was called; its outcome is not known yet), `requires_action`',
      '(3-D Secure: the browser completes it with the client secret), `processing` (the processor has not decided; no other',
      'payment of the order is taken meanwhile), `authorized` (held), `captured` (taken), `voided` (hold released, not charged),',
      '`refunded` (taken and given back), `failed` (declined or not completed; nothing held). An order accepts at most one',
      'payment; every other hold is released.',
      '',
      'Each attempt has its own idempotency key `pi:<orderId>:<attempt>`, so retried or concurrent requests never authorise twice;',
      'the attempt moves on after any outcome that is final and not a success (decline, invalid card, processor error, 3-D Secure',
      'required), so the buyer can always try again while the order is open. A payment left unfinished (a request that died, a',
      'webhook that never came) is settled by a periodic sweep.',
      '',
      "Without STRIPE_KEY (development only) an offline sandbox honours Stripe's documented test cards: tok_visa / pm_card_visa",
      '(and mastercard, amex) are authorised; tok_chargeDeclined / pm_card_chargeDeclined (and …InsufficientFunds,',
      '…ExpiredCard) are declined; tok_threeDSecure2Required / pm_card_threeDSecure2Required / pm_card_authenticationRequired',
      'require 3-D Secure. Two PaymentMethods are the sandbox\'s own, not Stripe\'s: pm_sandbox_processing (`processing`, authorised',
      'about 5 s later: the sweep or a later request reads it) and pm_sandbox_processorError (the processor fails: 503). Errors are always {"errors":[{"message","field?"}]}.',
    ].join(' '),
  },
  components: {
    securitySchemes: openApiCommonComponents.securitySchemes,
    schemas: {
      ...openApiCommonComponents.schemas,
      PaymentStatus: {
        type: 'string',
        enum: ['pending', 'requires_action', 'processing', 'authorized', 'captured', 'voided', 'refunded', 'failed'],
      },
      PaymentOutcome: {
        type: 'object',
        required: ['id', 'status'],
        properties: {
          id: { type: 'string', description: 'Payment id (one per attempt)' },
          status: ref('PaymentStatus'),
          clientSecret: { type: 'string', description: 'Only with status requires_action: for Stripe.js to run 3-D Secure' },
        },
      },
    },
  },
  paths: {
    '/api/payments': {
      post: {
        summary: 'Pay for an order (authorise; captured once the order completes)',
        description:
          "Either `token` (a card token or PaymentMethod: the order's price is authorised now) or `paymentIntentId` (an intent " +
          'from POST /api/payments/intents that the browser confirmed with the Payment Element: only an intent created for this ' +
          "order, with its stored amount, currency and mode, counts; its status is read from the processor). An authorised " +
          "payment waits up to 5 s for the order's decision.",
        security: [{ session: [] }],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            properties: {
              orderId: orderIdSchema,
              token: {
                type: 'string',
                pattern: '^(tok|pm)_[A-Za-z0-9_]{1,250}$',
                description: 'A Stripe card token (tok_…) or PaymentMethod id (pm_…)',
                example: 'tok_visa',
              },
              paymentIntentId: {
                type: 'string',
                pattern: '^pi_[A-Za-z0-9_]{1,250}$',
                description: 'Instead of token: the PaymentIntent the browser confirmed',
              },
            },
            required: ['orderId'],
          }),
        },
        responses: {
          201: {
            description: 'Captured: the order completed with this payment and the money is taken (`status: captured`)',
            content: json(ref('PaymentOutcome')),
          },
          202: {
            description:
              'Accepted, outcome to follow (poll the order): `authorized` (held; the order decides soon), `requires_action` ' +
              '(with `clientSecret`: run 3-D Secure in the browser; the webhook then settles it), `processing` (the processor has ' +
              'not decided; the webhook or the sweep settles it), `pending` (a Payment Element intent not confirmed yet)',
            content: json(ref('PaymentOutcome')),
          },
          400: withDescription(
            'Invalid orderId, token or paymentIntentId (both, or an intent not created for this order); unknown or used card ' +
              `(field token; the next attempt may use another); the order is cancelled, expired or already paid; its price is ` +
              `outside what a card can be charged (0.50–999,999.99); or the order was cancelled while this payment waited: ` +
              `"${CANCELLED_NOT_CHARGED}"`,
          ),
          401: withDescription('Not signed in'),
          402: withDescription("Card declined (the processor's message); the buyer may pay again with another card"),
          403: withDescription("Someone else's order"),
          404: withDescription('No payable order: the id is stamped in the future (never minted) or over an hour ago (past any order window)'),
          409: withDescription(
            'A payment of this order is `processing` (wait for its outcome); or this attempt is being paid by a concurrent ' +
              'request with another card; or the tickets service has not yet confirmed that it holds the ticket for this order ' +
              '(waited for 5 s): retry',
          ),
          429: tooManyRequestsResponse('Too many payment attempts by this user this minute (RATE_LIMIT_PAYMENTS_PER_MIN)'),
          503: withDescription(
            'The payment processor is unreachable or failed; the outcome of this attempt is settled later (a hold that appears ' +
              'is released if the order completes otherwise); the buyer may retry at once, as a new attempt' +
              '; or (with Retry-After) this order has not reached the payments service yet (waited 2.5 s for order.created): retry',
          ),
        },
      },
      get: {
        summary: "An order's payment attempts (owner only), oldest first",
        security: [{ session: [] }],
        parameters: [{ name: 'orderId', in: 'query', required: true, schema: orderIdSchema }],
        responses: {
          200: {
            description: 'The attempts',
            content: json({
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'status', 'amount', 'createdAt'],
                properties: {
                  id: { type: 'string' },
                  status: ref('PaymentStatus'),
                  amount: { type: 'integer', description: 'Cents (USD)' },
                  createdAt: { type: 'string', format: 'date-time' },
                },
              },
            }),
          },
          400: withDescription('Invalid orderId'),
          401: withDescription('Not signed in'),
          403: withDescription("Someone else's order"),
          404: withDescription('Unknown order'),
        },
      },
    },
    '/api/payments/intents': {
      post: {
        summary: 'A PaymentIntent for the Payment Element',
        description:
          "Creates (or returns, for the same attempt) an unconfirmed manual-capture PaymentIntent for the order's price. The " +
          'browser confirms it with Stripe.js (`confirmPayment`, 3-D Secure and wallets included), then sends POST /api/payments ' +
          '{orderId, paymentIntentId}; the webhook settles it in any case.',
        security: [{ session: [] }],
        requestBody: { required: true, content: json({ type: 'object', properties: { orderId: orderIdSchema }, required: ['orderId'] }) },
        responses: {
          201: {
            description: 'The intent to confirm',
            content: json({
              type: 'object',
              required: ['id', 'clientSecret', 'amount', 'currency'],
              properties: {
                id: { type: 'string', description: 'Payment id' },
                clientSecret: { type: 'string' },
                amount: { type: 'integer', description: 'Cents' },
                currency: { type: 'string', example: 'usd' },
              },
            }),
          },
          400: withDescription('Invalid orderId; the order is cancelled, expired or already paid; its price is not chargeable'),
          401: withDescription('Not signed in'),
          403: withDescription("Someone else's order"),
          404: withDescription('No payable order: the id is stamped in the future (never minted) or over an hour ago (past any order window)'),
          409: withDescription('A card payment of this attempt or a processing payment is in progress; or the order is not confirmed yet'),
          429: tooManyRequestsResponse('Too many payment attempts by this user this minute (RATE_LIMIT_PAYMENTS_PER_MIN)'),
          503: withDescription('The payment processor is unreachable; or (with Retry-After) the order has not reached the payments service yet: retry'),
        },
      },
    },
    '/api/payments/webhook': {
      post: {
        summary: 'Stripe webhook',
        description:
          'Receives Stripe events, verified with the Stripe-Signature header and STRIPE_WEBHOOK_SECRET (required with STRIPE_KEY; ' +
          'only for the offline sandbox, without STRIPE_KEY, it may be unset: a random secret per process; the local stack ' +
          'generates one and keeps it in .state/secrets/STRIPE_WEBHOOK_SECRET). ' +
          `Handled: ${HANDLED_EVENT_TYPES.join(', ')}. An event counts only for an intent payments created (by its id, or by ` +
          'metadata orderId + attempt for an attempt whose id was never recorded) with the stored amount, currency and ' +
          'live/test mode; the intent is then read from the processor and its status applied forward-only (a replayed or ' +
          'out-of-order event changes nothing), and the order settled. Anything else is logged and acknowledged. No session cookie.',
        parameters: [{ name: 'Stripe-Signature', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: json({ type: 'object', description: 'A Stripe event' }) },
        responses: {
          200: { description: 'Event acknowledged (applied, or ignored)', content: json({ type: 'object', properties: { received: { type: 'boolean' } } }) },
          400: withDescription('Missing or invalid signature'),
          503: withDescription('The payment processor could not be asked about the intent; Stripe retries later'),
        },
      },
    },
    '/api/payments/openapi.json': {
      get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3 document' } } },
    },
  },
};
