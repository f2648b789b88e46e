/**
 * The payments process SIGKILLed at the two worst moments: after the processor authorised
 * but before payments recorded it, and after the processor captured but before payments
 * recorded that. The reconciliation (sweep of write-ahead attempts, redelivered
 * order.completed) must find the intent and settle it: the order completes, the buyer is
 * charged exactly once, no second hold is left.
 */
import { randomBytes } from 'node:crypto';
import { eventually, sleep } from '@ticketing/dev-servers';
import type { Order } from '@ticketing/client/lib/api/types';
import { Actor } from '../support/actor';
import { openServiceDatabases, type ServiceDatabases } from '../support/databases';
import { FaultInjector, waitAllReady } from '../support/faults';
import { startE2EStack, type E2EStack } from '../support/stack';
import { processorLedger } from '../support/processor-ledger';
import { payableOrder } from './payable-order';

/** Every sandbox call answers this long after it acted: the window in which the kill lands. */
const PROCESSOR_DELAY_MS = 4_000;
const PRICE_CENTS = 2_500;

interface PaymentDoc {
  _id: unknown;
  orderId: unknown;
  status: string;
  stripeId?: string;
}

describe('payments SIGKILLed between the processor acting and the record', () => {
  let stack: E2EStack;
  let dbs: ServiceDatabases;
  let seller: Actor;
  let buyer: Actor;
  const prefix = `crash_${randomBytes(4).toString('hex')}_`;

  beforeAll(async () => {
    stack = await startE2EStack({
      env: {
        MONGO_DB_PREFIX: prefix,
        EXPIRATION_WINDOW_SECONDS: '120',
        SANDBOX_PROCESSOR_DELAY_MS: String(PROCESSOR_DELAY_MS),
        PAYMENT_SWEEP_INTERVAL_SECONDS: '1',
        PAYMENT_RECHECK_AFTER_SECONDS: '2',
        EVENT_ACK_WAIT_MS: '2000',
      },
    });
    dbs = await openServiceDatabases(stack.infra.mongo.url, prefix);
    seller = new Actor(stack.gatewayUrl, 'password123');
    buyer = new Actor(stack.gatewayUrl, 'password123');
    await seller.signup();
    await buyer.signup();
  }, 240_000);
  afterAll(async () => {
    await dbs?.close();
    await stack?.stop();
  });

  const paymentsOf = async (orderId: string) => (await dbs.payments.all<PaymentDoc>('payments')).filter((p) => String(p.orderId) === orderId);

  /** Kills payments-1 the moment `when` holds, then lets it restart. */
  async function killWhen(when: () => Promise<boolean>): Promise<void> {
    await eventually(when, { timeoutMs: 30_000, intervalMs: 50 });
    await new FaultInjector(stack).kill('payments-1', 500);
    expect(await waitAllReady(stack, 60_000)).toBeDefined();
  }

  async function expectChargedOnce(order: Order): Promise<void> {
    await eventually(async () => (await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status === 'complete', { timeoutMs: 60_000 });
    await eventually(async () => (await paymentsOf(order.id)).some((p) => p.status === 'captured'), { timeoutMs: 60_000 });
    const payments = await paymentsOf(order.id);
    expect(payments.filter((p) => p.status === 'captured')).toHaveLength(1);
    expect(payments.filter((p) => ['pending', 'authorized', 'processing', 'requires_action'].includes(p.status))).toEqual([]);
    const ledger = await processorLedger(dbs);
    expect(ledger.keptCents(order.id)).toBe(PRICE_CENTS);
    expect(ledger.uncapturedHolds()).toEqual([]);
  }

  it('killed after the processor authorised, before the authorisation was recorded: the sweep re-asks with the same key and settles', async () => {
    const order = await payableOrder(seller, buyer, PRICE_CENTS / 100);
    const paying = buyer.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' }, 30_000);
    await killWhen(async () => {
      const ledger = await processorLedger(dbs);
      const payments = await paymentsOf(order.id);
      // The processor holds the money; payments still has only its write-ahead record.
      return ledger.holdsFor(order.id) === 1 && payments.length === 1 && payments[0].status === 'pending';
    });
    expect((await paying).status).not.toBe(201); // the answer died with the process
    await expectChargedOnce(order);
    // One intent at the processor: the re-issued request was answered from the same idempotency key.
    expect((await processorLedger(dbs)).intentsFor(order.id)).toBe(1);
  }, 300_000);

  it('killed after the processor captured, before the capture was recorded: the redelivered decision captures again, idempotently', async () => {
    const order = await payableOrder(seller, buyer, PRICE_CENTS / 100);
    const paying = buyer.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' }, 30_000);
    await killWhen(async () => {
      const ledger = await processorLedger(dbs);
      const payments = await paymentsOf(order.id);
      return ledger.keptCents(order.id) === PRICE_CENTS && payments.some((p) => p.status === 'authorized');
    });
    await paying;
    await sleep(500);
    await expectChargedOnce(order);
    expect((await processorLedger(dbs)).intentsFor(order.id)).toBe(1);
  }, 300_000);
});
