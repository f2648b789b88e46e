import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { ApiProblem } from '@/components/ApiProblem';
import { OrderDetails } from '@/components/OrderDetails';
import { serverGet } from '@/lib/api/server';
import type { Order } from '@/lib/api/types';
import { stripePublishableKey } from '@/lib/server-config';
import { signInHref } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'Order' };

export default async function OrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  const result = await serverGet<Order>(`/api/orders/${encodeURIComponent(orderId)}`);
  if (!result.ok) {
    if (result.error.status === 401) redirect(signInHref(`/orders/${orderId}`));
    // Someone else's order (403) is reported exactly like a missing one.
    if ([400, 403, 404].includes(result.error.status)) notFound();
    return (
      <>
        <h1>Order</h1>
        <ApiProblem error={result.error} />
      </>
    );
  }
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: this is the request's time
  return <OrderDetails initialOrder={result.data} serverNow={Date.now()} stripeKey={stripePublishableKey()} />;
}
