import { openApiDocument as buildDocument } from '@ticketing/common';
import { PAYMENTS_BODY_LIMIT } from './body-limit';
import { createIntentRoute } from './routes/create-intent';
import { createPaymentRoute } from './routes/create-payment';
import { listPaymentsRoute } from './routes/list-payments';
import { stripeWebhookRoute } from './routes/stripe-webhook';

/** The payments API, made from its routes' contracts; a test checks that it lists exactly the routes the app serves. */
export const openApiDocument = buildDocument({
  title: 'Ticketing payments API',
  version: '2.0.0',
  description: [
    "Pays for an order with Stripe PaymentIntents in two steps: a payment first AUTHORISES the order's price (the money is",
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
    "require 3-D Secure. Two PaymentMethods are the sandbox's own, not Stripe's: pm_sandbox_processing (`processing`, authorised",
    'about 5 s later: the sweep or a later request reads it) and pm_sandbox_processorError (the processor fails: 503). Errors are always {"errors":[{"message","field?"}]}.',
  ].join(' '),
  base: '/api/payments',
  bodyLimit: PAYMENTS_BODY_LIMIT,
  routes: [createPaymentRoute, listPaymentsRoute, createIntentRoute, stripeWebhookRoute],
});
