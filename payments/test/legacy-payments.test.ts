import { createLogger, OrderStatus } from '@ticketing/common';
import { useTestDatabase } from '@ticketing/dev-servers';
import { Types } from 'mongoose';
import { ensureIndexes, Order, Payment } from '../src/models';

useTestDatabase('payments_legacy');

describe('a database from before authorise-then-capture', () => {
  it('drops the one-payment-per-order index and turns each old (immediately charged) payment into a captured, accepted one', async () => {
    // As the old service left it: a unique index on orderId, payments without status or key.
    await Payment.collection.dropIndexes();
    await Payment.collection.createIndex({ orderId: 1 }, { unique: true });
    const orders = [new Types.ObjectId(), new Types.ObjectId()];
    await Order.create({ _id: orders[0], userId: 'u', status: OrderStatus.Complete, price: 12.5, version: 2, expiresAt: new Date() });
    const legacy = orders.map((orderId, i) => ({ _id: new Types.ObjectId(), orderId, stripeId: `pi_old_${i}`, outbox: [], createdAt: new Date(0) }));
    await Payment.collection.insertMany(legacy);

    await ensureIndexes(createLogger('payments', 'silent'));

    const indexes = await Payment.collection.indexes();
    expect(indexes.find((i) => i.name === 'orderId_1')).toBeUndefined();
    expect(indexes.find((i) => i.key.idempotencyKey === 1)?.unique).toBe(true);
    const migrated = await Payment.find({}).sort({ stripeId: 1 }).lean();
    expect(migrated.map((p) => [p.stripeId, p.status, String(p.acceptedFor), p.idempotencyKey, p.amountCents])).toEqual([
      ['pi_old_0', 'captured', String(orders[0]), `legacy:${String(legacy[0]._id)}`, 1250],
      ['pi_old_1', 'captured', String(orders[1]), `legacy:${String(legacy[1]._id)}`, 0],
    ]);
    // A new attempt for the same order can now be stored beside the old payment.
    await Payment.create({ orderId: orders[1], attempt: 1, idempotencyKey: `pi:${String(orders[1])}:1`, amountCents: 100, currency: 'usd' });
    expect(await Payment.countDocuments({ orderId: orders[1] })).toBe(2);
  });
});
