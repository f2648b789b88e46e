import Link from 'next/link';
import type { Order } from '@/lib/api/types';
import { formatPrice, orderStateLabel } from '@/lib/format';

/** The visitor's orders with what state each is in. */
export function OrderList({ orders, now }: { orders: Order[]; now: number }) {
  if (orders.length === 0) {
    return (
      <p>
        You have no orders yet. <Link href="/">Browse tickets</Link>
      </p>
    );
  }
  return (
    <ul className="cards">
      {orders.map((order) => (
        <li key={order.id} className="card">
          <h2 className="card-title">
            <Link href={`/orders/${order.id}`}>{order.ticket.title}</Link>
          </h2>
          <p className="price">{formatPrice(order.ticket.price)}</p>
          <p>
            Status: <span className={`status status-${order.status.replace(':', '-')}`}>{orderStateLabel(order, now)}</span>
          </p>
        </li>
      ))}
    </ul>
  );
}
