import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ApiProblem } from '@/components/ApiProblem';
import { OrderList } from '@/components/OrderList';
import { serverGet } from '@/lib/api/server';
import type { Order } from '@/lib/api/types';
import { signInHref } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'My orders' };

export default async function OrdersPage() {
  const result = await serverGet<Order[]>('/api/orders');
  if (!result.ok && result.error.status === 401) redirect(signInHref('/orders'));
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: this is the request's time
  const now = Date.now();
  return (
    <>
      <h1>My orders</h1>
      {result.ok ? <OrderList orders={result.data} now={now} /> : <ApiProblem error={result.error} />}
    </>
  );
}
