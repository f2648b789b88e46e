/**
 * Money on a race: a buyer's cancel, and the order's expiry, racing its payment while the
 * processor is slowed. Whatever wins, exactly one outcome: the order completes with exactly
 * one capture, or it ends cancelled and the buyer is not charged (hold released, or — the
 * backstop — refunded). Checked from the processor's own ledger too.
 */
import { randomBytes } from 'node:crypto';
import { sleep } from '@ticketing/dev-servers';
import type { Order, PaymentAnswer } from '@ticketing/client/lib/api/types';
import { checkInvariants, type AckedOrder } from '../chaos/invariants';
import { waitSettled } from '../chaos/settle';
import { Actor, type CallResult } from '../support/actor';
import { openServiceDatabases, type ServiceDatabases } from '../support/databases';
import { connectNats } from '../support/jetstream';
import { startE2EStack, type E2EStack } from '../support/stack';
import { processorLedger } from '../support/processor-ledger';
import { payableOrder } from './payable-order';

const ROUNDS = 200;
const PARALLEL = 20;
const WINDOW_SECONDS = 3;
/** Every sandbox call takes this long after it acted: the payment is in flight that long. */
const PROCESSOR_DELAY_MS = 250;

interface Round {
  kind: 'cancel' | 'expiry';
  order: Order;
  pay?: CallResult<PaymentAnswer>;
  cancel?: CallResult;
  paySentAt?: number;
  deleteSentAt?: number;
}

describe(`money races: ${ROUNDS} cancels and ${ROUNDS} expiries against payments, processor slowed ${PROCESSOR_DELAY_MS} ms`, () => {
  let stack: E2EStack;
  let dbs: ServiceDatabases;
  let bus: Awaited<ReturnType<typeof connectNats>>;
  const prefix = `races_${randomBytes(4).toString('hex')}_`;

  beforeAll(async () => {
    stack = await startE2EStack({
      replicas: 2,
      env: {
        MONGO_DB_PREFIX: prefix,
        EXPIRATION_WINDOW_SECONDS: String(WINDOW_SECONDS),
        SANDBOX_PROCESSOR_DELAY_MS: String(PROCESSOR_DELAY_MS),
        PAYMENT_SWEEP_INTERVAL_SECONDS: '2',
        PAYMENT_RECHECK_AFTER_SECONDS: '3',
        LOG_LEVEL: 'warn',
      },
    });
    dbs = await openServiceDatabases(stack.infra.mongo.url, prefix);
    bus = await connectNats(stack.infra.nats.server);
  }, 240_000);
  afterAll(async () => {
    await bus?.close();
    await dbs?.close();
    await stack?.stop();
  });

  async function actor(): Promise<Actor> {
    const a = new Actor(stack.gatewayUrl, 'password123');
    const res = await a.signup();
    if (res.status !== 201) throw new Error(`signup answered ${res.status}`);
    return a;
  }

  async function cancelRace(seller: Actor, buyer: Actor, offsetMs: number): Promise<Round> {
    const order = await payableOrder(seller, buyer, 12.34);
    const round: Round = { kind: 'cancel', order };
    await Promise.all([
      (async () => {
        round.paySentAt = Date.now();
        round.pay = await buyer.call<PaymentAnswer>('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' }, 20_000);
      })(),
      (async () => {
        await sleep(offsetMs);
        round.deleteSentAt = Date.now();
        round.cancel = await buyer.call('DELETE', `/api/orders/${order.id}`);
      })(),
    ]);
    return round;
  }

  async function expiryRace(seller: Actor, buyer: Actor, beforeExpiryMs: number): Promise<Round> {
    const order = await payableOrder(seller, buyer, 12.34);
    const round: Round = { kind: 'expiry', order };
    await sleep(Math.max(0, new Date(order.expiresAt).getTime() - beforeExpiryMs - Date.now()));
    round.paySentAt = Date.now();
    round.pay = await buyer.call<PaymentAnswer>('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' }, 20_000);
    return round;
  }

  it('every race ends in exactly one outcome: complete with one capture, or cancelled and not charged', async () => {
    const seller = await actor();
    const buyers = await Promise.all(Array.from({ length: PARALLEL }, actor));
    const rounds: Round[] = [];
    for (const kind of ['cancel', 'expiry'] as const) {
      for (let done = 0; done < ROUNDS; done += PARALLEL) {
        rounds.push(
          ...(await Promise.all(
            buyers.map((b, i) =>
              kind === 'cancel'
                ? cancelRace(seller, b, ((done + i) * 37) % (3 * PROCESSOR_DELAY_MS)) // cancel 0 … 750 ms after the payment
                : expiryRace(seller, b, ((done + i) * 53) % (4 * PROCESSOR_DELAY_MS)), // pay 0 … 1,000 ms before expiry
            ),
          )),
        );
      }
    }

    const settled = await waitSettled(dbs, async () => bus.jsm, 120_000);
    expect(settled.problems).toEqual([]);

    // What each buyer was told agrees with how the order ended.
    const orders = new Map((await dbs.orders.all<{ _id: unknown; status: string }>('orders')).map((o) => [String(o._id), o.status]));
    const told: string[] = [];
    const outcomes: Record<string, number> = {};
    for (const r of rounds) {
      const final = orders.get(r.order.id);
      const key = `${r.kind}: pay ${r.pay?.status}${r.pay?.body && typeof r.pay.body === 'object' && 'status' in r.pay.body ? ` ${r.pay.body.status}` : ''}${r.cancel ? `, cancel ${r.cancel.status}` : ''} → ${final}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (r.pay?.status === 201 && final !== 'complete') told.push(`order ${r.order.id}: payment answered 201 (captured) but the order is ${final}`);
      if (r.cancel?.status === 204 && final !== 'cancelled') told.push(`order ${r.order.id}: cancel answered 204 but the order is ${final}`);
      if (r.pay?.status === 201 && r.cancel?.status === 204) told.push(`order ${r.order.id}: both the payment (201) and the cancel (204) were acknowledged`);
      if (![201, 202, 400].includes(r.pay?.status ?? 0)) told.push(`order ${r.order.id}: payment answered ${r.pay?.status} ${JSON.stringify(r.pay?.body)}`);
    }
    process.stdout.write(`[money races] outcomes:\n  ${Object.entries(outcomes).sort().map(([k, n]) => `${n} × ${k}`).join('\n  ')}\n`);
    expect(told).toEqual([]);

    // The race really was run inside the processor's window: some holds were taken and then released.
    const statuses: Record<string, number> = {};
    for (const p of await dbs.payments.all<{ status: string; acceptedFor?: unknown }>('payments')) {
      const key = `${p.status}${p.acceptedFor ? ' (accepted)' : ''}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
    process.stdout.write(`[money races] payments by status: ${JSON.stringify(statuses)}\n`);
    expect(Object.entries(statuses).some(([k, n]) => k.startsWith('voided') && n > 0)).toBe(true);

    // The processor's own ledger: money kept only for complete orders, once.
    const ledger = await processorLedger(dbs);
    const wrongMoney: string[] = [];
    for (const r of rounds) {
      const kept = ledger.keptCents(r.order.id);
      const want = orders.get(r.order.id) === 'complete' ? 1234 : 0;
      if (kept !== want) wrongMoney.push(`order ${r.order.id} (${orders.get(r.order.id)}): the processor kept ${kept} cents, expected ${want}`);
    }
    expect(wrongMoney).toEqual([]);
    expect(ledger.uncapturedHolds()).toEqual([]);

    // And the system-wide invariants (replicas equal, one capture per complete order, …).
    const acked = new Map<string, AckedOrder>(
      rounds.map((r) => [r.order.id, { id: r.order.id, ticketId: r.order.ticket.id, expiresAt: new Date(r.order.expiresAt).getTime(), deleteSentAt: r.deleteSentAt, paidRequestAt: r.paySentAt }]),
    );
    const okPay = (r: Round) => r.pay?.status === 201 || (r.pay?.status === 202 && r.pay.body.status === 'authorized');
    const { verdicts } = await checkInvariants({
      dbs,
      nc: bus.nc,
      jsm: bus.jsm,
      kills: [],
      lines: stack.lines,
      load: {
        tickets: [],
        orders: acked,
        payments: new Map(rounds.filter(okPay).map((r) => [r.pay!.body.id, r.order.id])),
        capturedPayments: new Map(rounds.filter((r) => r.pay?.status === 201).map((r) => [r.pay!.body.id, r.order.id])),
        cancelled: new Set(rounds.filter((r) => r.cancel?.status === 204).map((r) => r.order.id)),
        // Every round races on purpose.
        provokedRaces: new Set(rounds.map((r) => r.order.id)),
      },
    });
    const failed = verdicts.filter((v) => !v.ok).map((v) => `${v.name}: ${v.detail}\n    ${(v.examples ?? []).join('\n    ')}`);
    expect(failed).toEqual([]);
    expect(Object.keys(outcomes).some((k) => k.endsWith('complete'))).toBe(true);
    expect(Object.keys(outcomes).some((k) => k.endsWith('cancelled'))).toBe(true);
  }, 900_000);
});
