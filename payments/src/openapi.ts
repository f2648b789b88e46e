import { errorResponse, openApiCommonComponents, tooManyRequestsResponse, type OpenApiDocument } from '@ticketing/common';

const withDescription = errorResponse;

/** The payments API; a test checks that it lists exactly the routes the app serves. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Ticketing payments API',
    version: '1.0.0',
    description:
      'Pays for an order with Stripe PaymentIntents: one payment per order at most, with an idempotency key per ' +
      'attempt so retried or concurrent requests never charge twice. Without STRIPE_KEY (development only) an offline ' +
      "sandbox honours Stripe's test tokens: tok_visa / pm_card_visa succeed, tok_chargeDeclined / " +
      'pm_card_chargeDeclined are declined. Errors are always {"errors":[{"message","field?"}]}.',
  },
  components: {
    securitySchemes: openApiCommonComponents.securitySchemes,
    schemas: {
      ...openApiCommonComponents.schemas,
    },
  },
  paths: {
    '/api/payments': {
      post: {
        summary: 'Pay for an order',
        description:
          "Charges the order's price (USD) to the card and records the payment; payment.created then completes the order.",
        security: [{ session: [] }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  orderId: {
                    type: 'string',
                    pattern: '^[0-9a-fA-F]{24}$',
                    description: 'Order id, 24 hex characters in any case (one order however it is cased); anything else is a 400',
                  },
                  token: {
                    type: 'string',
                    pattern: '^(tok|pm)_[A-Za-z0-9_]{1,250}$',
                    description: 'A Stripe card token (tok_…) or PaymentMethod id (pm_…)',
                    example: 'tok_visa',
                  },
                },
                required: ['orderId', 'token'],
              },
            },
          },
        },
        responses: {
          201: {
            description: 'Paid (also the answer to a request that raced another one for the same order: same payment id)',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { id: { type: 'string', description: 'Payment id' } }, required: ['id'] },
              },
            },
          },
          400: withDescription(
            'Invalid orderId or token, unknown test token, the order is cancelled, expired or already paid, or its price is outside what a card can be charged (0.50–999,999.99)',
          ),
          401: withDescription('Not signed in'),
          402: withDescription("Card declined (Stripe's message); nothing was recorded and the order can still be paid"),
          403: withDescription("Someone else's order"),
          404: withDescription('Unknown order'),
          409: withDescription(
            'Another payment attempt for this order is in progress (e.g. with another card); or the tickets service has not yet ' +
              'confirmed that it holds the ticket for this order (waited for 5 s): retry',
          ),
          429: tooManyRequestsResponse('Too many payment attempts by this user this minute (RATE_LIMIT_PAYMENTS_PER_MIN)'),
          503: withDescription('The payment provider is unreachable; nothing was recorded'),
        },
      },
    },
    '/api/payments/webhook': {
      post: {
        summary: 'Stripe webhook',
        description:
          'Receives Stripe events, verified with the Stripe-Signature header and STRIPE_WEBHOOK_SECRET ' +
          '(only for the offline sandbox, without STRIPE_KEY, it may be unset: a random secret per process; the local stack ' +
          'generates one and keeps it in .state/secrets/STRIPE_WEBHOOK_SECRET). ' +
          "payment_intent.succeeded records the order's payment if it was not recorded yet (idempotent) and only if the " +
          "intent's amount and currency are the order's; payment_intent.payment_failed is logged; other " +
          'event types are acknowledged and ignored. No session cookie.',
        parameters: [{ name: 'Stripe-Signature', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: 'A Stripe event' } } } },
        responses: {
          200: {
            description: 'Event accepted',
            content: { 'application/json': { schema: { type: 'object', properties: { received: { type: 'boolean' } } } } },
          },
          400: withDescription('Missing or invalid signature'),
          503: withDescription('The order is not known to this service yet; Stripe retries later'),
        },
      },
    },
    '/api/payments/openapi.json': {
      get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3 document' } } },
    },
  },
};
