import { Order, amountInCents } from './order';
import { Payment, PaymentStatus } from './payment';

/**
 * Brings a database written before authorise-then-capture up to date, before the indexes are
 * built: the payments collection then held one immediately charged payment per order, under a
 * unique index on orderId. Such a payment is a captured one that its order accepted; the old
 * unique index must go, since an order now has one payment per attempt.
 */
export async function migrateLegacyPayments(): Promise<void> {
  const indexes = await Payment.collection.indexes().catch(() => []);
  if (indexes.some((i) => i.name === 'orderId_1' && i.unique)) await Payment.collection.dropIndex('orderId_1');

  const legacy = await Payment.collection.find({ status: { $exists: false } }).toArray();
  for (const doc of legacy) {
    const order = await Order.findById(doc.orderId, { price: 1 }).lean();
    await Payment.collection.updateOne(
      { _id: doc._id, status: { $exists: false } },
      {
        $set: {
          status: PaymentStatus.Captured,
          statusAt: doc.createdAt ?? new Date(),
          acceptedFor: doc.orderId,
          attempt: 0,
          idempotencyKey: `legacy:${String(doc._id)}`,
          amountCents: order ? amountInCents(order.price) : 0,
          currency: 'usd',
        },
      },
    );
  }
}
