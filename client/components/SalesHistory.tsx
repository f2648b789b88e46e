import type { TicketSale } from '@/lib/api/types';
import { formatPrice } from '@/lib/format';

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** The seller's sales of one ticket, oldest first. */
export function SalesHistory({ sales, title }: { sales: TicketSale[]; title: string }) {
  if (sales.length === 0) return null;
  return (
    <table className="sales">
      <caption>Sales of {title}</caption>
      <thead>
        <tr>
          <th scope="col">Sold (UTC)</th>
          <th scope="col">Price</th>
        </tr>
      </thead>
      <tbody>
        {sales.map((sale) => (
          <tr key={sale.orderId}>
            <td>{dateTime.format(new Date(sale.at))}</td>
            <td>{formatPrice(sale.price)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
